package io.spikering.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikering.core.data.PsMnist;
import io.spikering.training.RecurrentCheckpoint;
import io.spikering.training.RecurrentModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code train psmnist --recurrent} end to end on a small synthetic MNIST (CI has no MNIST). */
class RecurrentTrainCommandTest
{
    @TempDir
    Path dir;

    static String run(final PsMnist data, final String... args) throws IOException
    {
        final TrainCommand.PsMnistCommand command = new TrainCommand.PsMnistCommand();
        new CommandLine(command).parseArgs(args);
        final PrintStream out = System.out;
        final ByteArrayOutputStream o = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        try
        {
            assertEquals(0, command.call(data));
        }
        finally
        {
            System.setOut(out);
        }
        final String text = o.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        return text;
    }

    @Test
    void trainsExportsAndEvaluateOnlyReproducesTheRecordedAccuracy() throws IOException
    {
        final PsMnist data = SyntheticPsMnist.make();
        final Path model = dir.resolve("rec.safetensors");
        final Path ckpt = dir.resolve("ckpt");
        final List<String> train = new ArrayList<>(List.of("--recurrent", "--hidden", "8", "--order", "8", "--epochs", "1", "--spiking-epochs",
            "1", "--dt-start", "4", "--dt-end", "2", "--batch", "20", "--shard", "5", "--threads", "2", "--lr", "1e-2", "--validation-limit", "10",
            "--test-limit", "16", "--activity-samples", "6", "--checkpoint", ckpt.toString(), "--out", model.toString()));
        final String log = run(data, train.toArray(new String[0]));
        assertTrue(Files.isRegularFile(ckpt.resolve(RecurrentCheckpoint.FILE_NAME)));
        assertTrue(log.contains("60 train + 10 validation sequences"), log);
        assertTrue(log.contains("Best spiking-aware model (epoch 2"), log);
        assertTrue(log.contains("activity over the first 6 test samples"), log);

        final RecurrentModel m = RecurrentModel.read(model);
        assertEquals(8, m.spec().hidden());
        assertEquals(8, m.spec().order());
        assertEquals(1, m.spec().window());
        assertTrue(m.options().hiddenRecurrent() && m.options().inputToHidden());
        assertTrue(m.hiddenQuantized());
        assertEquals(2.0, m.dt());
        assertTrue(m.extraMetadata().get("training").contains("\"test_samples\":16"));

        final String eval = run(data, "--evaluate-only", "--model", model.toString(), "--test-limit", "16", "--activity-samples", "6",
            "--threads", "1");
        assertTrue(eval.contains("non-spiking: recorded") && eval.contains("dt=2.0: recorded"), eval);
        assertTrue(eval.contains("reproduced exactly"), eval);
        assertFalse(eval.contains("DIFFERS"), eval);

        // a finished checkpoint resumes straight to evaluation with the same result
        train.add("--resume");
        train.set(train.indexOf("--out") + 1, dir.resolve("again.safetensors").toString());
        final String again = run(data, train.toArray(new String[0]));
        assertTrue(again.contains("resuming from"), again);
        assertEquals(RecurrentModel.read(model).extraMetadata().get("dataset"), RecurrentModel.read(dir.resolve("again.safetensors")).extraMetadata().get("dataset"));
        assertEquals(java.util.Arrays.toString(m.parameters()), java.util.Arrays.toString(RecurrentModel.read(dir.resolve("again.safetensors")).parameters()));

        // --init-from starts a fine-tune from the file's weights: with a vanishing step size they come out unchanged
        final Path tuned = dir.resolve("tuned.safetensors");
        final String tune = run(data, "--recurrent", "--hidden", "8", "--order", "8", "--epochs", "0", "--spiking-epochs", "1", "--dt-start", "2",
            "--dt-end", "2", "--batch", "20", "--shard", "5", "--threads", "2", "--spiking-lr", "1e-30", "--validation-limit", "10", "--test-limit",
            "16", "--activity-samples", "6", "--init-from", model.toString(), "--out", tuned.toString());
        assertTrue(tune.contains("initialized from " + model), tune);
        org.junit.jupiter.api.Assertions.assertArrayEquals(m.parameters(), RecurrentModel.read(tuned).parameters(), 1e-6f);
        assertTrue(RecurrentModel.read(tuned).extraMetadata().get("training").contains("\"init_from\""));
        final TrainCommand.PsMnistCommand mismatch = new TrainCommand.PsMnistCommand();
        new CommandLine(mismatch).parseArgs("--recurrent", "--hidden", "9", "--order", "8", "--spiking-epochs", "1", "--validation-limit", "10",
            "--init-from", model.toString(), "--out", dir.resolve("never.safetensors").toString());
        final IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> mismatch.call(data));
        assertTrue(e.getMessage().contains("--init-from " + model) && e.getMessage().contains("match --hidden"), e.getMessage());

        final ByteArrayOutputStream o = new ByteArrayOutputStream();
        InspectCommand.print(io.spikering.core.model.ModelFile.read(model), Files.size(model), new PrintStream(o, true, StandardCharsets.UTF_8));
        final String inspect = o.toString(StandardCharsets.UTF_8);
        assertTrue(inspect.contains("lmu.hidden.recurrent_kernel") && inspect.contains("[8, 8]") && inspect.contains("\"variant\": \"recurrent\"")
            && inspect.contains("LMU (recurrent: hidden layer every step, W_h on h_{t-1})"), inspect);
    }

    @Test
    void recurrentOnlyOptionsAndBadLimitsExitWithTwo()
    {
        assertEquals(2, Main.run("train", "psmnist", "--hidden-to-memory", "--mnist", dir.toString()));
        assertEquals(2, Main.run("train", "psmnist", "--recurrent", "--test-limit", "0", "--mnist", dir.toString()));
        assertEquals(2, Main.run("train", "psmnist", "--recurrent", "--resume"));
        assertEquals(2, Main.run("train", "psmnist", "--recurrent", "--memory-dt-start", "4", "--memory-dt-end", "0.5", "--mnist", dir.toString()));
        assertEquals(2, Main.run("train", "psmnist", "--recurrent", "--mnist", dir.resolve("none").toString()));
    }
}
