package dev.medley.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.config.AdminSpec;
import dev.medley.config.ConfigLoader;
import dev.medley.config.Env;
import dev.medley.config.MedleySpec;
import dev.medley.config.ServerSpec;
import dev.medley.gateway.Gateway;
import dev.medley.gateway.GatewayOptions;
import dev.medley.plan.PlanCompiler;
import dev.medley.testing.Harness;
import dev.medley.time.ManualClock;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Keeps the Kubernetes example in docs/operations.md true: its probes ask for the paths the admin
 * server serves, on the port the embedded config gives the admin listener; the Service targets the
 * public port; and the embedded config loads, compiles and, started, answers both probes.
 */
class OperationsDocsTest {
  private static final Path OPERATIONS = Path.of("docs", "operations.md");

  private static Map<String, Object> configMap;
  private static Map<String, Object> deployment;
  private static Map<String, Object> service;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void parseTheExample() throws IOException {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object d : new Load(LoadSettings.builder().build()).loadAllFromString(kubernetesYaml())) {
      docs.add((Map<String, Object>) d);
    }
    configMap = kind(docs, "ConfigMap");
    deployment = kind(docs, "Deployment");
    service = kind(docs, "Service");
  }

  /** The first ```yaml block under the "## Kubernetes" heading. */
  private static String kubernetesYaml() throws IOException {
    List<String> lines = Files.readAllLines(OPERATIONS, StandardCharsets.UTF_8);
    int heading = lines.indexOf("## Kubernetes");
    assertThat(heading).as("a Kubernetes section in " + OPERATIONS).isNotNegative();
    int start = heading;
    while (!lines.get(start).equals("```yaml")) {
      start++;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = start + 1; !lines.get(i).equals("```"); i++) {
      sb.append(lines.get(i)).append('\n');
    }
    return sb.toString();
  }

  private static Map<String, Object> kind(List<Map<String, Object>> docs, String kind) {
    return docs.stream()
        .filter(d -> kind.equals(d.get("kind")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " in the example"));
  }

  @SuppressWarnings("unchecked")
  private static <T> T at(Object node, String... path) {
    Object n = node;
    for (String p : path) {
      n = n instanceof List<?> l ? l.get(Integer.parseInt(p)) : ((Map<String, Object>) n).get(p);
      assertThat(n).as(String.join(".", path)).isNotNull();
    }
    return (T) n;
  }

  private static Map<String, Object> container() {
    return at(deployment, "spec", "template", "spec", "containers", "0");
  }

  /** The container port a probe or Service names (by port name or number). */
  private static int containerPort(Object port) {
    if (port instanceof Integer i) {
      return i;
    }
    List<Map<String, Object>> ports = at(container(), "ports");
    return ports.stream()
        .filter(p -> port.equals(p.get("name")))
        .map(p -> (Integer) p.get("containerPort"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container port named " + port));
  }

  private static String embeddedConfig() {
    return at(configMap, "data", "medley.yaml");
  }

  /** Every environment variable the container sets, with a stand-in value. */
  private static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    List<Map<String, Object>> vars = at(container(), "env");
    vars.forEach(v -> env.put((String) v.get("name"), "docs-test-" + v.get("name")));
    return env;
  }

  private static MedleySpec spec() {
    ConfigLoader.Result r = new ConfigLoader(Env.of(env())).parse(embeddedConfig(), "medley.yaml");
    assertThat(r.errors()).as("the ConfigMap's medley.yaml").isEmpty();
    return r.spec();
  }

  @Test
  void embeddedConfigLoadsAndCompiles() {
    MedleySpec spec = spec();
    assertThat(PlanCompiler.compile(spec, "docs").errors()).isEmpty();
    assertThat(spec.server().host()).as("reachable on the pod IP").isEqualTo("0.0.0.0");
    assertThat(spec.server().admin().host()).as("probed on the pod IP").isEqualTo("0.0.0.0");
    assertThat(spec.server().admin().token()).isEqualTo("docs-test-MEDLEY_ADMIN_TOKEN");
  }

  @Test
  void probesUseTheAdminServersPathsOnTheAdminPort() {
    int adminPort = spec().server().admin().port();
    assertThat((String) at(container(), "livenessProbe", "httpGet", "path"))
        .isEqualTo(AdminServer.LIVE_PATH);
    assertThat((String) at(container(), "readinessProbe", "httpGet", "path"))
        .isEqualTo(AdminServer.READY_PATH);
    assertThat(containerPort(at(container(), "livenessProbe", "httpGet", "port")))
        .isEqualTo(adminPort);
    assertThat(containerPort(at(container(), "readinessProbe", "httpGet", "port")))
        .isEqualTo(adminPort);
  }

  @Test
  void serviceTargetsThePublicPortOnly() {
    List<Map<String, Object>> ports = at(service, "spec", "ports");
    assertThat(ports)
        .singleElement()
        .satisfies(
            p -> assertThat(containerPort(p.get("targetPort"))).isEqualTo(spec().server().port()));
    assertThat((Map<String, Object>) at(service, "spec", "selector"))
        .isEqualTo(at(deployment, "spec", "template", "metadata", "labels"));
  }

  @Test
  void containerRunsTheMountedConfigAndOutlastsTheShutdownGrace() {
    List<String> command = at(container(), "command");
    String file = command.get(command.indexOf("-c") + 1);
    String mount = at(container(), "volumeMounts", "0", "mountPath");
    assertThat(file).isEqualTo(mount + "/medley.yaml");
    assertThat(
            (String)
                at(deployment, "spec", "template", "spec", "volumes", "0", "configMap", "name"))
        .isEqualTo(at(configMap, "metadata", "name"));
    long grace = spec().server().shutdownGrace().toSeconds();
    int preStop = at(container(), "lifecycle", "preStop", "sleep", "seconds");
    int termination = at(deployment, "spec", "template", "spec", "terminationGracePeriodSeconds");
    assertThat(termination).isGreaterThan((int) grace + preStop);
  }

  @Test
  void embeddedConfigStartedAnswersBothProbes() throws Exception {
    MedleySpec s = spec();
    // Same config, but on loopback and free ports: tests never listen beyond 127.0.0.1.
    ServerSpec local =
        new ServerSpec(
            "127.0.0.1",
            0,
            new AdminSpec("127.0.0.1", 0, s.server().admin().token()),
            s.server().shutdownGrace(),
            s.server().watchInterval(),
            s.server().locations(),
            s.server().compression(),
            s.server().tls(),
            s.server().limits());
    MedleySpec spec =
        new MedleySpec(
            s.version(), local, s.upstreams(), s.experiences(), s.observe(), s.cache(), s.auth());
    Vertx vertx = Harness.vertx();
    try {
      Gateway g =
          Gateway.start(
                  vertx,
                  GatewayOptions.of(spec, embeddedConfig(), new ManualClock()).withInstances(1))
              .await(20, TimeUnit.SECONDS);
      HttpClient http = HttpClient.newHttpClient();
      for (String path :
          new String[] {
            at(container(), "livenessProbe", "httpGet", "path"),
            at(container(), "readinessProbe", "httpGet", "path")
          }) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.adminPort() + path))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
      }
      g.close().await(10, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
