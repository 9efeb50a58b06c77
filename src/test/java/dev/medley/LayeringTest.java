package dev.medley;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The layering rule of docs/architecture.md, checked on the compiled classes: a request flows
 * config → plan → engine → upstream with the edge on top, so a dependency may only point down that
 * stack (or into the leaf packages every layer shares), and no two packages depend on each other.
 */
@Tag("fast")
class LayeringTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importMain() {
    // The main classes only, read from the build output: scanning every jar on the class path for
    // the
    // package took most of a minute on a loaded machine.
    classes = new ClassFileImporter().importPath(Path.of("target", "classes"));
  }

  @Test
  void dependenciesPointDownTheStack() {
    ArchRule rule =
        layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("leaf")
            .definedBy("dev.medley.time..", "dev.medley.observe", "dev.medley.json..")
            .layer("config")
            .definedBy("dev.medley.config..")
            .layer("plan")
            .definedBy("dev.medley.plan..")
            .layer("upstream")
            .definedBy("dev.medley.upstream..")
            .layer("engine")
            .definedBy("dev.medley.engine..")
            .layer("edge")
            .definedBy("dev.medley.edge..", "dev.medley.cache..", "dev.medley.state..")
            .layer("app")
            .definedBy(
                "dev.medley.gateway..",
                "dev.medley.admin..",
                "dev.medley.dashboard..",
                "dev.medley.observe.internal..",
                "dev.medley.cli..",
                "dev.medley.devtools..",
                "dev.medley.demo..")
            .whereLayer("leaf")
            .mayNotAccessAnyLayer()
            .whereLayer("config")
            .mayOnlyAccessLayers("leaf")
            .whereLayer("plan")
            .mayOnlyAccessLayers("config", "leaf")
            .whereLayer("upstream")
            .mayOnlyAccessLayers("config", "leaf")
            .whereLayer("engine")
            .mayOnlyAccessLayers("plan", "upstream", "config", "leaf")
            .whereLayer("edge")
            .mayOnlyAccessLayers("engine", "plan", "upstream", "config", "leaf");
    rule.check(classes);
  }

  @Test
  void noPackageCycles() {
    slices().matching("dev.medley.(**)").should().beFreeOfCycles().check(classes);
  }
}
