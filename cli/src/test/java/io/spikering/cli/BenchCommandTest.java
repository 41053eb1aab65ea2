package io.spikering.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCommandTest
{
    @Test
    void cubaJsonHasTheFiguresAndTheRecordingCanBeDrawn(@TempDir final Path tmp) throws IOException
    {
        final Path rec = tmp.resolve("rec");
        final String[] r = RunCommandTest.runCli("bench", "cuba", "--seconds", "0.05", "--warmup", "0.02", "--json", "--record", rec.toString());
        assertEquals("0", r[0], r[2]);
        final JsonObject json = JsonParser.parseString(r[1].trim()).getAsJsonObject();
        assertEquals(0.05, json.get("simulated_s").getAsDouble(), 1e-12);
        assertEquals(4000, json.get("neurons").getAsInt());
        assertTrue(json.get("wall_s").getAsDouble() > 0);
        // both fields are printed rounded, so their ratio agrees to the rounding of wall_s, not to 1e-3
        final double wallPerSim = json.get("wall_s").getAsDouble() / 0.05;
        assertEquals(wallPerSim, json.get("wall_per_sim_s").getAsDouble(), 0.01 * wallPerSim + 1e-3);
        final long spikes = json.get("spikes").getAsLong();
        assertTrue(spikes > 0);
        assertEquals(spikes / (4000 * 0.05), json.get("mean_rate_hz").getAsDouble(), 1e-3);
        assertTrue(json.get("synaptic_events_per_s").getAsDouble() > 0);
        final Path png = tmp.resolve("r.png");
        assertEquals(0, Main.run("raster", "--recording", rec.toString(), "--out", png.toString(), "--max-neurons", "500"));
        assertTrue(Files.size(png) > 1000);
    }

    @Test
    void textOutputNamesTheWarmUp()
    {
        final String[] r = RunCommandTest.runCli("bench", "cuba", "--seconds", "0.02", "--warmup", "0.01");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("JIT warm-up") && r[1].contains("wall per simulated s") && r[1].contains("mean rate"), r[1]);
    }

    /**
     * --threads 2: the direct path below 40,000 neurons (auto), the partitioned step with --fixed or --adaptive or from
     * 40,000 neurons on; with --disruptor the Disruptor path; all give the 1-thread spikes.
     */
    @Test
    void threadsSelectThePartitionedStepOrWithDisruptorTheBus()
    {
        final JsonObject[] runs = new JsonObject[5];
        final String[][] args = {{}, {"--threads", "2"}, {"--threads", "2", "--disruptor"}, {"--threads", "2", "--fixed"},
            {"--threads", "2", "--adaptive"}};
        for (int k = 0; k < runs.length; k++)
        {
            final java.util.List<String> cli = new java.util.ArrayList<>(java.util.List.of(
                "bench", "cuba", "--seconds", "0.03", "--warmup", "0.01", "--json", "--neurons", "5000"));
            cli.addAll(java.util.List.of(args[k]));
            final String[] r = RunCommandTest.runCli(cli.toArray(new String[0]));
            assertEquals("0", r[0], r[2]);
            runs[k] = JsonParser.parseString(r[1].trim()).getAsJsonObject();
        }
        assertEquals("direct (1 thread)", runs[0].get("delivery").getAsString());
        assertEquals("auto, 2 threads: direct (1 thread)", runs[1].get("delivery").getAsString());
        assertEquals("disruptor (2 handler threads)", runs[2].get("delivery").getAsString());
        assertEquals("partitioned (2 threads, fixed)", runs[3].get("delivery").getAsString());
        assertEquals("partitioned (2 threads)", runs[4].get("delivery").getAsString());
        for (int k = 1; k < runs.length; k++)
        {
            assertEquals(runs[0].get("spikes").getAsLong(), runs[k].get("spikes").getAsLong());
            assertEquals(runs[0].get("synaptic_events").getAsLong(), runs[k].get("synaptic_events").getAsLong());
        }
    }

    @Test
    void badArgumentsAndAnUnwritableRecordingFailWithExitCode2(@TempDir final Path tmp) throws IOException
    {
        final Path file = Files.writeString(tmp.resolve("file"), "x");
        final String[] r = RunCommandTest.runCli("bench", "cuba", "--seconds", "0.02", "--record", file.resolve("rec").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("error: cannot create recording directory") && r[2].contains(file.resolve("rec").toString()), r[2]);
        assertEquals("2", RunCommandTest.runCli("bench", "cuba", "--seconds", "0")[0]);
        assertEquals("2", RunCommandTest.runCli("bench", "cuba", "--threads", "0")[0]);
        final String[] fixed = RunCommandTest.runCli("bench", "cuba", "--threads", "2", "--fixed", "--disruptor");
        assertEquals("2", fixed[0]);
        assertTrue(fixed[2].contains("--fixed"), fixed[2]);
        final String[] both = RunCommandTest.runCli("bench", "cuba", "--threads", "2", "--fixed", "--adaptive");
        assertEquals("2", both[0]);
        assertTrue(both[2].contains("exclude each other"), both[2]);
    }

    @Test
    void autoPartitionsFromFortyThousandNeurons()
    {
        final String[] r = RunCommandTest.runCli("bench", "cuba", "--seconds", "0.002", "--warmup", "0", "--json", "--neurons", "40000",
            "--threads", "2");
        assertEquals("0", r[0], r[2]);
        assertEquals("auto, 2 threads: partitioned (2 threads, fixed)",
            JsonParser.parseString(r[1].trim()).getAsJsonObject().get("delivery").getAsString());
    }
}
