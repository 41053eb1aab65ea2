package io.spikering.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest
{
    @Test
    void spliceReplacesOnlyTheGeneratedBlockAndKeepsOtherSections()
    {
        final String doc = "# Benchmarks\n\n## CUBA vs Brian2\nkept\n";
        final String once = Report.splice(doc, "first\n");
        assertTrue(once.startsWith(doc));
        assertTrue(once.contains(Report.BEGIN + "\nfirst\n" + Report.END));
        final String twice = Report.splice(once + "\n## LMU vs PyTorch\nalso kept\n", "second\n");
        assertTrue(twice.contains("## CUBA vs Brian2\nkept\n"));
        assertTrue(twice.contains("## LMU vs PyTorch\nalso kept\n"));
        assertTrue(twice.contains("second\n") && !twice.contains("first\n"));
        assertEquals(1, twice.split(java.util.regex.Pattern.quote(Report.BEGIN), -1).length - 1);
    }

    @Test
    void crossingInterpolatesInLogLogAndReportsOpenEnds()
    {
        final List<double[]> points = List.of(new double[] {1, 10, 0}, new double[] {100, 1000, 0});
        assertEquals("10.0 %", Report.crossing(points, 100));     // y = 10 x: reaches 100 at x = 10
        assertEquals("< 1 %", Report.crossing(points, 5));
        assertEquals("> 100 %", Report.crossing(points, 5000));
    }

    @Test
    void parsesJmhJsonWithParamsAndSecondaryMetrics()
    {
        final String json = "[{\"jmhVersion\":\"1.37\",\"benchmark\":\"io.spikering.bench.DeliveryBenchmark.kernel\","
            + "\"mode\":\"avgt\",\"jdkVersion\":\"17.0.15\",\"vmName\":\"OpenJDK 64-Bit Server VM\",\"jvmArgs\":[\"-Xmx2g\"],"
            + "\"params\":{\"events\":\"64\",\"rowLength\":\"256\"},"
            + "\"primaryMetric\":{\"score\":1000.5,\"scoreError\":20.0,\"scoreUnit\":\"ns/op\"},"
            + "\"secondaryMetrics\":{\"synops\":{\"score\":7.0,\"scoreError\":\"NaN\",\"scoreUnit\":\"#\"}}}]";
        final List<JmhResults.Row> rows = JmhResults.parse(json, "test.json");
        assertEquals(1, rows.size());
        final JmhResults.Row r = rows.get(0);
        assertEquals("DeliveryBenchmark.kernel", r.benchmark());
        assertEquals(256, r.intParam("rowLength"));
        assertEquals(1000.5, r.primary().score());
        assertEquals(7.0, r.secondary("synops").orElseThrow().score());
        assertEquals(0.0, r.secondary("synops").orElseThrow().errorOrZero());
        assertThrows(IllegalArgumentException.class, () -> r.param("threads"));
        assertThrows(IllegalArgumentException.class, () -> JmhResults.parse("{\"a\":1}", "bad.json"));
    }

    @Test
    void ratioPropagatesRelativeErrors()
    {
        final double[] r = JmhResults.ratio(new JmhResults.Metric(100, 3, "ns/op"), new JmhResults.Metric(200, 8, "ns/op"));
        assertEquals(0.5, r[0]);
        assertEquals(0.5 * Math.hypot(0.03, 0.04), r[1], 1e-15);
    }
}
