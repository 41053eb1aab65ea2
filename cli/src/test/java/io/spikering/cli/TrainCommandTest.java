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
        // the feed-forward model's evaluation compares with its training record too
        org.junit.jupiter.api.Assertions.assertTrue(eval.contains("dt=2.0: recorded") && eval.contains("reproduced exactly")
            && !eval.contains("DIFFERS"), eval);
        // model files are readable by everyone, like the shipped ones (not the 0600 of a temporary file)
        if (model.getFileSystem().supportedFileAttributeViews().contains("posix"))
        {
            assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(model)));
        }
        // a second run with the same --out is refused before any training, unless --force
        final String[] again = RunCommandTest.runCli("train", "psmnist", "--out", model.toString(), "--mnist", dir.resolve("none").toString());
        assertEquals("2", again[0]);
        org.junit.jupiter.api.Assertions.assertTrue(again[2].contains("--out " + model + " already exists") && again[2].contains("--force"),
            again[2]);
        final String[] forced = RunCommandTest.runCli("train", "psmnist", "--out", model.toString(), "--force", "--mnist",
            dir.resolve("none").toString());
        org.junit.jupiter.api.Assertions.assertTrue(forced[2].contains("MNIST is missing"), forced[2]);
    }

    @Test
    void defaultsAreTheShippedModelsRecipeAndWriteUnderRuns() throws java.io.IOException
    {
        final TrainCommand.PsMnistCommand defaults = new TrainCommand.PsMnistCommand();
        new picocli.CommandLine(defaults).parseArgs();
        defaults.resolveDefaults();
        assertEquals(Path.of("runs", "psmnist-lmu-hybrid.safetensors"), defaults.out);
        // the command recorded in the shipped model's metadata, minus what does not change the result (where files go, threads)
        final String training = io.spikering.core.lmu.LmuFile.load(Path.of("..", "models", "psmnist-lmu-hybrid.safetensors")).extraMetadata()
            .get("training");
        final String command = com.google.gson.JsonParser.parseString(training).getAsJsonObject().get("command").getAsString();
        final java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(command.split(" ")));
        assertEquals(java.util.List.of("spikering", "train", "psmnist"), args.subList(0, 3));
        final TrainCommand.PsMnistCommand recipe = new TrainCommand.PsMnistCommand();
        new picocli.CommandLine(recipe).parseArgs(args.subList(3, args.size()).toArray(new String[0]));
        recipe.resolveDefaults();
        assertEquals(recipe.epochs, defaults.epochs);
        assertEquals(recipe.spikingEpochs, defaults.spikingEpochs);
        assertEquals(recipe.dtStart, defaults.dtStart);
        assertEquals(recipe.dtEnd, defaults.dtEnd);
        assertEquals(recipe.hidden, defaults.hidden);
        assertEquals(recipe.window, defaults.window);
        assertEquals(recipe.order, defaults.order);
        assertEquals(recipe.theta, defaults.theta);
        assertEquals(recipe.activation, defaults.activation);
        assertEquals(recipe.seed, defaults.seed);
        assertEquals(recipe.evalDts, defaults.evalDts);
        assertEquals(recipe.lr, defaults.lr);
        assertEquals(recipe.spikingLr, defaults.spikingLr);
        assertEquals(recipe.batch, defaults.batch);
        assertEquals(recipe.shard, defaults.shard);
        assertEquals(recipe.clip, defaults.clip);
        assertEquals(recipe.anneal, defaults.anneal);
        assertEquals(recipe.permutationSeed, defaults.permutationSeed);
        assertEquals(recipe.trainLimit, defaults.trainLimit);
        assertEquals(recipe.memoryDtStart, defaults.memoryDtStart);
        assertEquals(Path.of("models", "psmnist-lmu-hybrid.safetensors"), recipe.out, "the recipe names the shipped file explicitly");
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

    @Test
    void evaluateOnlyComparesWithTheShippedModelsRecord() throws java.io.IOException
    {
        // the shipped file predates 'test_samples': its 'dataset' metadata ("the 10000 test images") says how many
        final io.spikering.core.lmu.LmuFile shipped = io.spikering.core.lmu.LmuFile.load(Path.of("..", "models", "psmnist-lmu-hybrid.safetensors"));
        final java.util.List<io.spikering.training.DtPoint> rows = java.util.List.of(
            new io.spikering.training.DtPoint(0.0, 0.9786, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, null),
            new io.spikering.training.DtPoint(1.0, 0.9784, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, null),
            new io.spikering.training.DtPoint(2.0, 0.9785, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, null));
        final java.io.PrintStream out = System.out;
        final java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(o, true, java.nio.charset.StandardCharsets.UTF_8));
        try
        {
            TrainCommand.compareWithRecord(shipped.extraMetadata().get("training"), shipped.extraMetadata().get("dataset"), rows, 10_000, 0);
            TrainCommand.compareWithRecord(shipped.extraMetadata().get("training"), shipped.extraMetadata().get("dataset"), rows, 500, 0);
        }
        finally
        {
            System.setOut(out);
        }
        final String log = o.toString(java.nio.charset.StandardCharsets.UTF_8);
        org.junit.jupiter.api.Assertions.assertTrue(log.contains("non-spiking: recorded 97.86%, now 97.86%: reproduced exactly")
            && log.contains("dt=1.0: recorded 97.84%, now 97.84%: reproduced exactly")
            && log.contains("dt=2.0: recorded 97.86%, now 97.85%: DIFFERS")
            && log.contains("(the record is for other test samples or another --eval-seed; not compared)"), log);
    }
}
