package io.spikering.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest
{
    @TempDir
    Path dir;

    @Test
    void badOptionsExitWithTwoBeforeLoadingData()
    {
        assertEquals(2, Main.run("train", "psmnist", "--evaluate-only"));
        assertEquals(2, Main.run("train", "psmnist", "--evaluate-only", "--model", dir.resolve("missing.safetensors").toString()));
        assertEquals(2, Main.run("train", "psmnist", "--resume"));
        assertEquals(2, Main.run("train", "psmnist", "--anneal", "sometimes"));
        assertEquals(2, Main.run("train", "psmnist", "--activation", "softplus", "--mnist", dir.toString()));
        assertEquals(2, Main.run("train", "psmnist", "--spiking-epochs", "-1", "--mnist", dir.toString()));
    }

    @Test
    void parallelTrainsExportsAndEvaluatesOnSyntheticData() throws java.io.IOException
    {
        final Path model = dir.resolve("par.safetensors");
        final String log = RecurrentTrainCommandTest.run(SyntheticPsMnist.make(), "--hidden", "8", "--order", "8", "--window", "4", "--epochs",
            "1", "--spiking-epochs", "1", "--batch", "20", "--shard", "5", "--threads", "2", "--test-limit", "16", "--eval-dt", "2",
            "--checkpoint-dir", dir.resolve("ckpt").toString(), "--out", model.toString());
        org.junit.jupiter.api.Assertions.assertTrue(log.contains("Best spiking-aware model (epoch 2") && log.contains("wrote " + model), log);
        org.junit.jupiter.api.Assertions.assertTrue(java.nio.file.Files.isRegularFile(dir.resolve("ckpt").resolve(io.spikering.training.Checkpoint.FILE_NAME)));
        final String eval = RecurrentTrainCommandTest.run(SyntheticPsMnist.make(), "--evaluate-only", "--model", model.toString(), "--test-limit",
            "16", "--eval-dt", "2");
        org.junit.jupiter.api.Assertions.assertTrue(eval.contains("Test set (16 samples)") && eval.contains("\"test_samples\":16"), eval);
    }

    @Test
    void deltaEncodersTrainExportAndReproduce() throws java.io.IOException
    {
        final Path model = dir.resolve("delta.safetensors");
        final String log = RecurrentTrainCommandTest.run(SyntheticPsMnist.make(), "--hidden", "8", "--order", "8", "--window", "4", "--epochs",
            "1", "--spiking-epochs", "1", "--batch", "20", "--shard", "5", "--threads", "2", "--test-limit", "16", "--eval-dt", "2",
            "--encoder", "delta", "--threshold", "1.5", "--memory-dt-start", "8", "--memory-dt-end", "2", "--memory-encoder", "delta",
            "--memory-threshold", "0.5", "--out", model.toString());
        org.junit.jupiter.api.Assertions.assertTrue(log.contains("wrote " + model), log);
        final io.spikering.core.lmu.LmuFile m = io.spikering.core.lmu.LmuFile.load(model);
        assertEquals(new io.spikering.core.lmu.LmuFile.Encoding(true, 1.5, true, 0.5), m.encoding());
        final String table = log.substring(log.indexOf("Best spiking-aware model"));
        final String eval = RecurrentTrainCommandTest.run(SyntheticPsMnist.make(), "--evaluate-only", "--model", model.toString(), "--test-limit",
            "16", "--eval-dt", "2");
        final String row = table.lines().filter(l -> l.startsWith("| 2.00 |")).findFirst().orElseThrow();
        org.junit.jupiter.api.Assertions.assertTrue(eval.contains(row), "the trained table's dt-2 row " + row + " is reproduced:\n" + eval);
        assertEquals(2, Main.run("train", "psmnist", "--encoder", "sigma", "--mnist", dir.toString()));
        assertEquals(2, Main.run("train", "psmnist", "--memory-encoder", "delta", "--mnist", dir.toString()));
        assertEquals(2, Main.run("train", "psmnist", "--encoder", "delta", "--threshold", "-1", "--mnist", dir.toString()));
    }

    @Test
    void missingMnistSaysHowToFetchIt()
    {
        assertEquals(2, Main.run("train", "psmnist", "--mnist", dir.resolve("none").toString()));
    }
}
