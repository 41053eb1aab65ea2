package io.spikering.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Options that cannot be honoured are refused with exit code 2 and a message naming the option, the value and the fix. */
class OptionChecksTest
{
    @TempDir
    Path dir;

    private final RunCommandTest models = new RunCommandTest();

    private String model;

    @BeforeEach
    void tinyModel() throws IOException
    {
        models.dir = dir;
        model = models.tinyModel().toString();
    }

    /** Runs the CLI in-process; asserts exit code 2, no stack trace, and that stderr contains {@code expected}. */
    private static String refused(final String expected, final String... args)
    {
        final String[] r = RunCommandTest.runCli(args);
        assertEquals("2", r[0], String.join(" ", args) + "\n" + r[2]);
        assertTrue(r[2].contains(expected), "expected '" + expected + "' in: " + r[2]);
        assertFalse(r[2].contains("\tat ") || r[2].contains("Exception"), r[2]);
        return r[2];
    }

    @Test
    void numbersThatCannotBeHonouredAreRefused() throws IOException
    {
        refused("--dt must be a positive finite number, got NaN", "run", "--model", model, "--dt", "NaN");
        refused("--dt must be a positive finite number, got -1.0", "sweep", "--model", model, "--dt", "1,-1");
        refused("--threads must be in [0, 64] (0 = available cores), got -1", "run", "--model", model, "--threads", "-1");
        refused("--threads must be in [0, 64]", "sweep", "--model", model, "--dt", "1", "--threads", "-1");
        refused("--threads must be in [0, 64]", "demo", "--threads", "-1");
        refused("--warmup must be in [0, ", "run", "--model", model, "--warmup", "-5");
        refused("--samples must be in [1, ", "run", "--model", model, "--samples", "0");
        refused("--count must be in [1, ", "stream", "feed", "--source", "mackey-glass", "--queue", dir.resolve("q").toString(), "--count", "-5");
        refused("--warmup must be in [0, ", "stream", "run", "--model", model, "--in", dir.resolve("q").toString(), "--out",
            dir.resolve("o").toString(), "--warmup", "-5");
        refused("--threads must be in [0, 1024]", "train", "psmnist", "--threads", "-1", "--out", dir.resolve("m.safetensors").toString());
        final String out = dir.resolve("m.safetensors").toString();
        refused("activity penalty must be a finite number >= 0, got -0.5", "train", "psmnist", "--activity-penalty", "-0.5", "--out", out);
        refused("the delta encoder does not send", "train", "psmnist", "--activity-penalty", "0.1", "--encoder", "delta", "--out", out);
        refused("dropout must be a probability in [0, 1), got 1.0", "train", "psmnist", "--dropout", "1", "--out", out);
        refused("--lr-decay must be 'none' or 'cosine', got 'step'", "train", "psmnist", "--lr-decay", "step", "--out", out);
        refused("--activity-penalty, --dropout, --augment-shift and --pixel-dropout train the parallel LMU only", "train", "psmnist",
            "--recurrent", "--dropout", "0.2", "--out", out);
        refused("--activity-penalty, --dropout, --augment-shift and --pixel-dropout train the parallel LMU only", "train", "psmnist",
            "--recurrent", "--augment-shift", "2", "--out", out);
        refused("--augment-shift must be 0..4 pixels, got 5", "train", "psmnist", "--augment-shift", "5", "--out", out);
        refused("--pixel-dropout must be a probability in [0, 0.5], got 0.7", "train", "psmnist", "--pixel-dropout", "0.7", "--out", out);
    }

    @Test
    void memoryDtNeedsAMemoryQuantizerAndAFiniteValue() throws IOException
    {
        refused("model " + model + " does not quantize its memory output", "run", "--model", model, "--memory-dt", "2");
        refused("does not quantize its memory output", "sweep", "--model", model, "--dt", "1", "--memory-dt", "2");
        final String qmem = models.tinyQuantizedMemoryModel().toString();
        refused("--memory-dt must be a positive finite number, got NaN", "run", "--model", qmem, "--memory-dt", "NaN");
        refused("--memory-dt must be a positive finite number, got Infinity", "sweep", "--model", qmem, "--dt", "1", "--memory-dt", "Infinity");
    }

    @Test
    void pathsSayWhatIsWrongWithThem() throws IOException
    {
        final Path file = Files.writeString(dir.resolve("a-file"), "x");
        refused("--report " + file + ": is a file, not a directory", "run", "--model", model, "--report", file.toString());
        refused("--report " + file.resolve("sub") + ": " + file + " is a file, not a directory", "run", "--model", model, "--report",
            file.resolve("sub").toString());
        refused("--json " + dir + ": is a directory, not a file", "run", "--model", model, "--json", dir.toString());
        refused("--out " + file + ": is a file, not a directory", "sweep", "--model", model, "--dt", "1", "--out", file.toString());
        refused("--report " + file + ": is a file, not a directory", "demo", "--report", file.toString());
        refused("--json " + dir + ": is a directory, not a file", "demo", "--json", dir.toString());
        // "does not exist" only when nothing is there
        refused("model file " + dir + " is a directory, not a file", "run", "--model", dir.toString());
        refused("does not exist; train one with", "run", "--model", dir.resolve("absent.safetensors").toString());
        if (Files.exists(Path.of("/dev/null")))
        {
            refused("model file /dev/null is not a regular file", "run", "--model", "/dev/null");
        }
        refused("energy profile " + dir + " is a directory, not a file", "run", "--model", model, "--energy-profile", dir.toString());
    }

    @Test
    void jsonErrorsCarryNoLibraryAdvice() throws IOException
    {
        final Path bad = Files.writeString(dir.resolve("bad.json"), "{\"name\": \"x\" \"y\"}", StandardCharsets.UTF_8);
        final String err = refused("energy profile " + bad + " is not valid JSON", "run", "--model", model, "--energy-profile", bad.toString());
        assertFalse(err.contains("gson") || err.contains("Strictness") || err.contains("Troubleshooting"), err);
        // Gson's strict-mode message, as it is thrown
        final com.google.gson.stream.JsonReader reader = new com.google.gson.stream.JsonReader(new java.io.StringReader("{a:1}"));
        reader.setStrictness(com.google.gson.Strictness.STRICT);
        final IOException e = assertThrows(IOException.class, () ->
        {
            reader.beginObject();
            reader.nextName();
        });
        assertTrue(e.getMessage().contains("setStrictness"), e.getMessage());
        final String clean = Main.message(new IllegalArgumentException("model file m: " + e));
        assertTrue(clean.startsWith("model file m: malformed JSON at line 1 column 3"), clean);
        assertFalse(clean.contains("setStrictness") || clean.contains("gson") || clean.contains("https://"), clean);
    }

    @Test
    void runOnAMackeyGlassModelNamesTheCommandThatRunsIt()
    {
        refused("./spikering stream run --model " + Path.of("..", "models", "mackey-glass-lmu.safetensors") + " --in IN --out OUT --autonomous-after 750", "run", "--model", Path.of("..", "models", "mackey-glass-lmu.safetensors").toString());
    }

    @Test
    void mackeyGlassTapAndSeedSelectionOptionsAreChecked()
    {
        refused("--taps needs exactly --order = 10 delays, got 2", "mackey-glass", "evaluate", "--repeats", "1", "--validation", "--taps", "0,1");
        refused("--taps: delay 12.0 is outside [0, theta = 9.0]", "mackey-glass", "evaluate", "--repeats", "1", "--validation", "--taps",
            "0,1,2,3,4,5,6,7,8,12");
        refused("--select-seeds must be >= 1", "mackey-glass", "evaluate", "--repeats", "1", "--validation", "--select-seeds", "0");
    }

    @Test
    void lmuOrderHasAStatedLimitAndDegenerateThetaWarns()
    {
        refused("--order must be in [1, 1024], got 100000", "lmu", "--order", "100000", "--theta", "5");
        refused("--theta must be a positive finite number, got NaN", "lmu", "--order", "4", "--theta", "NaN");
        String[] r = RunCommandTest.runCli("lmu", "--order", "3", "--theta", "0.5");
        assertEquals("0", r[0]);
        assertTrue(r[2].contains("warning: --theta 0.5 is shorter than one step"), r[2]);
        // Euler with a window too short for the order diverges; ZOH of the same memory does not
        r = lmu("--order", "16", "--theta", "20", "--method", "euler");
        assertTrue(r[2].contains("warning: the discrete memory is unstable"), r[2]);
        assertFalse(lmu("--order", "16", "--theta", "20", "--method", "zoh")[2].contains("warning"));
        assertFalse(lmu("--order", "16", "--theta", "100", "--method", "euler")[2].contains("warning"));
    }

    private static String[] lmu(final String... args)
    {
        final String[] all = new String[args.length + 1];
        all[0] = "lmu";
        System.arraycopy(args, 0, all, 1, args.length);
        final String[] r = RunCommandTest.runCli(all);
        assertEquals("0", r[0], r[2]);
        return r;
    }

    @Test
    void sweepSaysWhereItWritesAndPlotsIntervalsDtAndMemoryBits() throws Exception
    {
        final Path out = dir.resolve("sw");
        final SweepCommand sweep = new SweepCommand();
        new CommandLine(sweep).parseArgs("--model", models.tinyQuantizedMemoryModel().toString(), "--dt", "1,4", "--memory-dt", "0.5,2",
            "--samples", "30", "--threads", "2", "--no-progress", "--out", out.toString());
        final java.io.PrintStream stdout = System.out;
        final java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(o, true, StandardCharsets.UTF_8));
        try
        {
            assertEquals(0, sweep.call(RunCommandTest.samples(30, 30)));
        }
        finally
        {
            System.setOut(stdout);
        }
        final String log = o.toString(StandardCharsets.UTF_8);
        assertTrue(log.startsWith("sweep: writing sweep.csv and the plots into " + out.toAbsolutePath()), log);
        for (final String png : List.of("accuracy-vs-bits.png", "accuracy-vs-energy.png", "accuracy-vs-dt.png", "accuracy-vs-memory-bits.png"))
        {
            assertTrue(Files.size(out.resolve(png)) > 1000, png);
            assertTrue(log.contains(png), log);
        }
        final List<String> csv = Files.readAllLines(out.resolve("sweep.csv"));
        assertTrue(csv.get(0).startsWith("dt,memory_dt,accuracy,accuracy_ci95_low,accuracy_ci95_high,"), csv.get(0));
        assertEquals(1 + 1 + 4, csv.size(), "non-spiking + 2 dt x 2 dt_m");
        for (final String row : csv.subList(1, csv.size()))
        {
            final String[] f = row.split(",");
            final double acc = Double.parseDouble(f[2]);
            final double[] ci = SweepPlots.wilson((int)Math.round(acc * 30), 30, SweepPlots.Z95);
            assertEquals(ci[0], Double.parseDouble(f[3]), 1e-6, row);
            assertEquals(ci[1], Double.parseDouble(f[4]), 1e-6, row);
        }
    }

    @Test
    void wilsonIntervalMatchesHandComputedValues()
    {
        // 8 of 10: centre (0.8 + 1.96²/20) / (1 + 1.96²/10) = 0.71675, half 1.96·sqrt(0.016 + 0.009604) / 1.384146 = 0.22658
        final double[] ci = SweepPlots.wilson(8, 10, SweepPlots.Z95);
        assertEquals(0.49016, ci[0], 1e-5);
        assertEquals(0.94332, ci[1], 1e-5);
        // 9,784 of 10,000 (the shipped model at dt 1): [97.54%, 98.11%], so 1-2 samples (0.01-0.02 points) are far inside it
        final double[] shipped = SweepPlots.wilson(9784, 10_000, SweepPlots.Z95);
        assertEquals(0.97536, shipped[0], 1e-5);
        assertEquals(0.98107, shipped[1], 1e-5);
        assertEquals(0.0, SweepPlots.wilson(0, 5, SweepPlots.Z95)[0]);
        assertEquals(1.0, SweepPlots.wilson(5, 5, SweepPlots.Z95)[1], 1e-12);
        assertThrows(IllegalArgumentException.class, () -> SweepPlots.wilson(6, 5, SweepPlots.Z95));
    }
}
