package dev.medley.devtools;

import dev.medley.upstream.UpstreamRequest;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test case's answers: a call gets the first of its upstream's answers that matches it and has
 * not answered yet; once all matching answers have been used, the last one answers again (so {@code
 * [503, 200]} is "fail once, then succeed" for a retry).
 */
final class CaseAnswers implements FakeUpstreams.Answers {
  private final Map<String, List<TestSuite.Rule>> rules;
  private final Map<TestSuite.Rule, Integer> used =
      new IdentityHashMap<>(); // two equal answers are still two answers

  CaseAnswers(Map<String, List<TestSuite.Rule>> rules) {
    this.rules = rules;
  }

  @Override
  public synchronized Answer answer(String upstream, UpstreamRequest r) {
    TestSuite.Rule last = null;
    for (TestSuite.Rule rule : rules.getOrDefault(upstream, List.of())) {
      if (rule.matches(r.method(), r.pathAndQuery())) {
        last = rule;
        if (!used.containsKey(rule)) {
          used.put(rule, 1);
          return rule.answer();
        }
      }
    }
    return last == null ? null : last.answer();
  }
}
