import AssayCore
import AssayReport
import Testing

/// `assay report` on a suite scored with `macro_f1`, `mcc` and `spearman`: the row shows the corpus values computed
/// from the items' stored labels and scores, not a mean of the items' 0/1 values.
@Suite struct LabelMetricReportTests {
  @Test func reportRowsShowCorpusLabelMetricsAndCorrelations() {
    let pipelines = ["macro_f1", "mcc", "spearman"]
    let tasks = [
      ReportTask(
        taskID: "nli/ja", suiteID: "nli", variantID: "ja", language: "ja", primary: "macro_f1", pipelines: pipelines,
        planned: 4)
    ]
    let pairs = [("pos", "pos", "1", "1"), ("neg", "pos", "2", "2"), ("neg", "neg", "4", "3"), ("neg", "neg", "3", "4")]
    let samples = pairs.map { predicted, gold, x, y in
      var values = CorpusMetric.labelValues("macro_f1", predicted: predicted, gold: gold)
      values.merge(CorpusMetric.labelValues("mcc", predicted: predicted, gold: gold)) { $1 }
      values.merge(CorpusMetric.correlationValues("spearman", predicted: x, gold: y)) { $1 }
      return ReportSample(
        taskID: "nli/ja", scored: true, correct: Dictionary(uniqueKeysWithValues: pipelines.map { ($0, values[$0] == 1) }),
        extracted: Set(pipelines), truncated: false, values: values)
    }
    let report = RunReport(runID: "r", model: "m", status: "finished", tasks: tasks, samples: samples)
    let row = report.suites[0].variants[0]
    // gold [pos, pos, neg, neg], predicted [pos, neg, neg, neg]: F1 pos 2/3, neg 4/5; MCC 1/sqrt(3).
    #expect(abs(row.metrics["macro_f1"]!.mean - (2.0 / 3 + 0.8) / 2) < 1e-12)
    #expect(abs(row.metrics["mcc"]!.mean - 1 / 3.0.squareRoot()) < 1e-12)
    // ranks x [1, 2, 4, 3], y [1, 2, 3, 4]: rho = 1 - 6·2/(4·15) = 0.8.
    #expect(abs(row.metrics["spearman"]!.mean - 0.8) < 1e-12)
    #expect(MarkdownRenderer.render(report).contains("macro_f1"))
  }
}
