package io.spikering.cli;

import io.spikering.core.InputFiles;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.spikering.core.data.MnistDataset;
import io.spikering.core.data.PsMnist;
import io.spikering.neuron.Activation;
import io.spikering.training.Augmentation;
import io.spikering.training.PerturbedFeatures;
import io.spikering.training.Checkpoint;
import io.spikering.training.DtPoint;
import io.spikering.training.EpochRecord;
import io.spikering.training.Evaluation;
import io.spikering.core.lmu.LmuFile;
import io.spikering.training.LmuExport;
import io.spikering.training.LmuParameters;
import io.spikering.training.LmuSpec;
import io.spikering.training.MemoryFeatures;
import io.spikering.training.MemoryMatrices;
import io.spikering.training.PsMnistTraining;
import io.spikering.training.Trainer;
import io.spikering.training.TrainingConfig;
import io.spikering.training.TrainingState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code spikering train ...}: trains networks (psMNIST parallel LMU) and evaluates trained model files. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Train hybrid-spiking networks.",
    subcommands = {TrainCommand.PsMnistCommand.class})
public final class TrainCommand implements Runnable
{
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    public void run()
    {
        spec.commandLine().usage(System.out);
    }

    /**
     * Prints, for each dt the training run recorded on the same test samples and voltage seed, whether it is reproduced
     * (both model kinds). The number of test samples is the record's 'test_samples', or for files written before that key
     * existed, the one the 'dataset' metadata names ("the 10000 test images", "the first N test images").
     */
    static void compareWithRecord(final String training, final String dataset, final List<DtPoint> rows, final int testSamples,
        final long evalSeed)
    {
        final JsonObject record;
        try
        {
            record = com.google.gson.JsonParser.parseString(training).getAsJsonObject();
        }
        catch (final RuntimeException notJson)
        {
            return;
        }
        final int recordedSamples = record.has("test_samples") ? record.get("test_samples").getAsInt() : datasetTestSamples(dataset);
        if (!record.has("test_accuracy") || recordedSamples != testSamples || !record.has("test_eval_seed")
            || record.get("test_eval_seed").getAsLong() != evalSeed)
        {
            System.out.println("(the record is for other test samples or another --eval-seed; not compared)");
            return;
        }
        final JsonObject acc = record.getAsJsonObject("test_accuracy");
        for (final DtPoint r : rows)
        {
            final String key = r.dt() > 0.0 ? "dt=" + r.dt() : "non-spiking";
            if (acc.has(key))
            {
                final double recorded = acc.get(key).getAsDouble();
                System.out.printf(Locale.ROOT, "%s: recorded %.2f%%, now %.2f%%: %s%n", key, 100 * recorded, 100 * r.accuracy(),
                    recorded == r.accuracy() ? "reproduced exactly" : "DIFFERS");
            }
        }
    }

    private static int datasetTestSamples(final String dataset)
    {
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"test\":\"the (?:first )?(\\d+) test images\"")
            .matcher(dataset == null ? "" : dataset);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** {@code spikering train psmnist [options]} and {@code --evaluate-only --model FILE}. */
    @Command(
        name = "psmnist",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Train the feed-forward-in-time LMU (Legendre memory order 256, θ=784, ZOH, driven by the pixel; hidden layer over the",
            "last K steps; readout of the mean hidden output) on psMNIST: non-spiking epochs, then spiking-aware epochs with the",
            "sigma-delta quantizer on the hidden units and dt annealed exponentially. Exports the best model and evaluates the",
            "test set at several dt. With --recurrent, trains KerasLMU's recurrent LMU cell instead (full BPTT; defaults are",
            "KerasLMU's psMNIST example: 212 tanh units with a recurrent kernel, input_to_hidden, last-step readout, 10 epochs).",
            "With --evaluate-only, evaluates an existing model file (either kind) instead."})
    static final class PsMnistCommand implements Callable<Integer>
    {
        /** Where a trained model goes without --out: never over the shipped models in models/. */
        static final String DEFAULT_OUT = "runs/psmnist-lmu-hybrid.safetensors";
        static final String DEFAULT_RECURRENT_OUT = "runs/psmnist-lmu-recurrent.safetensors";

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--recurrent", description = "Train the recurrent LMU cell (KerasLMU's options) by BPTT instead of the parallel LMU.")
        boolean recurrent;

        @Option(names = "--hidden-to-memory", description = "Recurrent: feed h_{t-1} into the memory input (KerasLMU hidden_to_memory).")
        boolean hiddenToMemory;

        @Option(names = "--memory-to-memory", description = "Recurrent: feed m_{t-1} into the memory input (KerasLMU memory_to_memory).")
        boolean memoryToMemory;

        @Option(names = "--no-input-to-hidden", description = "Recurrent: no input-to-hidden kernel W_x (KerasLMU input_to_hidden=False).")
        boolean noInputToHidden;

        @Option(names = "--no-hidden-recurrent", description = "Recurrent: no recurrent hidden kernel W_h (a Dense hidden cell in KerasLMU).")
        boolean noHiddenRecurrent;

        @Option(names = "--hidden", description = "Hidden units (default: 512; 212 with --recurrent).")
        Integer hidden;

        @Option(names = "--order", defaultValue = "256", description = "Legendre memory order d (default: ${DEFAULT-VALUE}).")
        int order;

        @Option(names = "--theta", defaultValue = "784", description = "Memory window θ in steps (default: ${DEFAULT-VALUE}).")
        double theta;

        @Option(names = "--activation", defaultValue = "tanh", description = "tanh or relu (default: ${DEFAULT-VALUE}).")
        String activation;

        @Option(names = "--window", description = "Readout window K in steps (default: 16; 1 with --recurrent, KerasLMU's last step).")
        Integer window;

        @Option(names = "--epochs", description = "Non-spiking epochs (default: 7, the shipped model's recipe; 10 with --recurrent).")
        Integer epochs;

        @Option(names = "--spiking-epochs", description = "Spiking-aware epochs after them (default: 2, the shipped model's recipe; 0 with --recurrent).")
        Integer spikingEpochs;

        @Option(names = "--dt-start", defaultValue = "16", description = "dt at the start of the spiking phase (default: ${DEFAULT-VALUE}).")
        double dtStart;

        @Option(names = "--dt-end", defaultValue = "1", description = "Target dt, reached at the last spiking epoch (default: ${DEFAULT-VALUE}).")
        double dtEnd;

        @Option(names = "--memory-dt-start", defaultValue = "0",
            description = "Quantize the memory output too (sigma-delta, identity, on the standardized features in the window): its dt at the "
                + "start of the spiking phase; 0 = memory not quantized (default: ${DEFAULT-VALUE}).")
        double memoryDtStart;

        @Option(names = "--memory-dt-end", defaultValue = "0",
            description = "Target dt of the memory quantizer, annealed like --dt-end (default: ${DEFAULT-VALUE}; set both or neither).")
        double memoryDtEnd;

        @Option(names = "--encoder", defaultValue = "sigma-delta",
            description = "Hidden quantizer rule: 'sigma-delta' (the paper's) or 'delta' (Loihi 2's: graded events of the change, "
                + "summed by the receivers) (default: ${DEFAULT-VALUE}).")
        String encoder;

        @Option(names = "--threshold", defaultValue = "1",
            description = "--encoder delta: smallest change sent, in counts (1/dt each), kept while dt anneals (default: ${DEFAULT-VALUE}).")
        double threshold;

        @Option(names = "--memory-encoder", defaultValue = "sigma-delta",
            description = "Memory-output quantizer rule, 'sigma-delta' or 'delta' (needs --memory-dt-*) (default: ${DEFAULT-VALUE}).")
        String memoryEncoder;

        @Option(names = "--memory-threshold", defaultValue = "1",
            description = "--memory-encoder delta: smallest change sent, in counts (default: ${DEFAULT-VALUE}).")
        double memoryThreshold;

        @Option(names = "--activity-penalty", defaultValue = "0",
            description = "λ of the hidden layer's activity penalty: each training sample's loss gains λ · mean |h| over the window steps and "
                + "hidden units (h = f(z), or count/dt when spiking), so the layer learns to send fewer events (default: ${DEFAULT-VALUE}, none).")
        double activityPenalty;

        @Option(names = "--dropout", defaultValue = "0",
            description = "Probability of dropping each unit of the readout's input (the hidden layer's window mean) in a training sample; "
                + "never at evaluation (default: ${DEFAULT-VALUE}).")
        double dropout;

        @Option(names = "--lr-decay", defaultValue = "none",
            description = "'none' or 'cosine': the non-spiking epochs' learning rate falls from --lr to 0 along a half cosine, batch by batch "
                + "(default: ${DEFAULT-VALUE}).")
        String lrDecay;

        @Option(names = "--augment-shift", defaultValue = "0",
            description = "Translate each training image by up to this many pixels along each axis (0..4), drawn afresh every epoch; "
                + "uses the image layout behind the permutation (default: ${DEFAULT-VALUE}, none).")
        int augmentShift;

        @Option(names = "--pixel-dropout", defaultValue = "0",
            description = "Zero each pixel of a training image with this probability (0..0.5), drawn afresh every epoch "
                + "(default: ${DEFAULT-VALUE}, none).")
        double pixelDropout;

        @Option(names = "--init-from", paramLabel = "FILE",
            description = "Start from this model file's weights instead of a random init (fine-tuning; e.g. --epochs 0 --spiking-epochs 3).")
        Path initFrom;

        @Option(names = "--eval-memory-dt", split = ",", defaultValue = "0.25,0.5,1,2,4",
            description = "Memory-quantizer dt values for the test table of a model with a quantized memory (default: ${DEFAULT-VALUE}).")
        List<Double> evalMemoryDts;

        @Option(names = "--anneal", defaultValue = "batch", description = "Change dt every 'batch' or every 'epoch' (default: ${DEFAULT-VALUE}).")
        String anneal;

        @Option(names = "--lr", defaultValue = "1e-3", description = "Adam learning rate, non-spiking epochs (default: ${DEFAULT-VALUE}).")
        double lr;

        @Option(names = "--spiking-lr", defaultValue = "3e-4", description = "Adam learning rate, spiking epochs (default: ${DEFAULT-VALUE}).")
        double spikingLr;

        @Option(names = "--clip", defaultValue = "5", description = "Global gradient-norm clip, 0 = off (default: ${DEFAULT-VALUE}).")
        double clip;

        @Option(names = "--batch", defaultValue = "100", description = "Batch size (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--shard", defaultValue = "10",
            description = "Samples per parallel shard; fixes the result with the seed, whatever --threads (default: ${DEFAULT-VALUE}).")
        int shard;

        @Option(names = "--threads", description = "Worker threads (default: available processors).")
        Integer threads;

        @Option(names = "--seed", defaultValue = "0", description = "Seed of initialization, shuffling and voltages (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--permutation-seed", defaultValue = "0",
            description = "psMNIST permutation: numpy RandomState(seed).permutation(784) (default: ${DEFAULT-VALUE}, KerasLMU's).")
        long permutationSeed;

        @Option(names = "--mnist", paramLabel = "DIR", description = "MNIST cache directory (default: $SPIKERING_CACHE/mnist or ~/.cache/spikering/mnist).")
        Path mnist;

        @Option(names = "--train-limit", defaultValue = "50000", description = "Use only the first N training images (default: ${DEFAULT-VALUE}).")
        int trainLimit;

        @Option(names = "--validation-limit", defaultValue = "10000",
            description = "Use only the first N validation images (default: ${DEFAULT-VALUE}, all).")
        int validationLimit;

        @Option(names = "--test-limit", defaultValue = "10000", description = "Evaluate only the first N test images (default: ${DEFAULT-VALUE}, all).")
        int testLimit;

        @Option(names = "--activity-samples", defaultValue = "1000",
            description = "Recurrent, quantized dt: measure activity/significant bits on the first N test images (default: ${DEFAULT-VALUE}).")
        int activitySamples;

        @Option(names = {"--checkpoint-dir", "--checkpoint"}, paramLabel = "DIR", description = "Write checkpoints here (every epoch and every --checkpoint-minutes).")
        Path checkpointDir;

        @Option(names = "--checkpoint-minutes", defaultValue = "5", description = "Mid-epoch checkpoint interval (default: ${DEFAULT-VALUE}).")
        double checkpointMinutes;

        @Option(names = "--resume", description = "Continue from the checkpoint in --checkpoint-dir (same options required).")
        boolean resume;

        @Option(names = "--out", paramLabel = "FILE",
            description = "Model file for the best model (default: runs/psmnist-lmu-hybrid.safetensors; runs/psmnist-lmu-recurrent.safetensors "
                + "with --recurrent). An existing file is not overwritten without --force.")
        Path out;

        @Option(names = "--force", description = "Overwrite an existing --out or --non-spiking-out file.")
        boolean force;

        @Option(names = "--non-spiking-out", paramLabel = "FILE", description = "Also export the best non-spiking-phase model here.")
        Path nonSpikingOut;

        @Option(names = "--eval-dt", split = ",",
            description = "dt values for the test table besides non-spiking and the model's dt (default: 0.5,1,2,4,8,16; none with --recurrent).")
        List<Double> evalDts;

        @Option(names = "--eval-seed", defaultValue = "0", description = "Seed of the test-time initial voltages (default: ${DEFAULT-VALUE}).")
        long evalSeed;

        @Option(names = "--evaluate-only", description = "Do not train: evaluate --model on the test set.")
        boolean evaluateOnly;

        @Option(names = "--model", paramLabel = "FILE", description = "Model file for --evaluate-only.")
        Path model;

        public Integer call() throws IOException
        {
            return call(null);
        }

        /** Runs the command on {@code data}, or on psMNIST from the MNIST cache when null (tests pass small data sets). */
        int call(final PsMnist data) throws IOException
        {
            final int t = Validate.threads("--threads", threads == null ? 0 : threads, 1024);
            if (evaluateOnly)
            {
                if (model == null)
                {
                    throw new IllegalArgumentException("--evaluate-only needs --model FILE");
                }
                InputFiles.requireRegular("model file", model, "train one with './spikering train psmnist --out FILE'");
                // the file says which kind of model it is; its defaults follow
                recurrent = RecurrentPsMnist.isRecurrent(model);
                resolveDefaults();
                if (recurrent)
                {
                    new RecurrentPsMnist(this, t).evaluateOnly(data != null ? data : data());
                }
                else
                {
                    evaluateOnly(data != null ? data : data(), t);
                }
                return 0;
            }
            resolveDefaults();
            checkTrainingOptions();
            lmuSpec();
            trainingConfig(t);
            if (recurrent)
            {
                new RecurrentPsMnist(this, t).train(data != null ? data : data());
            }
            else
            {
                train(data != null ? data : data(), t);
            }
            return 0;
        }

        /** The defaults that differ between the parallel LMU and the recurrent cell (KerasLMU's psMNIST example). */
        void resolveDefaults()
        {
            if (!recurrent && (hiddenToMemory || memoryToMemory || noInputToHidden || noHiddenRecurrent))
            {
                throw new IllegalArgumentException("--hidden-to-memory, --memory-to-memory, --no-input-to-hidden and --no-hidden-recurrent "
                    + "configure the recurrent cell: add --recurrent");
            }
            if (recurrent && (memoryDtStart != 0.0 || memoryDtEnd != 0.0))
            {
                throw new IllegalArgumentException("--memory-dt-start and --memory-dt-end quantize the parallel LMU's memory output; the recurrent "
                    + "cell has no memory quantizer: drop them, or drop --recurrent");
            }
            if (recurrent && (activityPenalty != 0.0 || dropout != 0.0 || augmentShift != 0 || pixelDropout != 0.0))
            {
                throw new IllegalArgumentException("--activity-penalty, --dropout, --augment-shift and --pixel-dropout train the parallel LMU only: "
                    + "drop them, or drop --recurrent");
            }
            if (augmentShift < 0 || augmentShift > 4)
            {
                throw new IllegalArgumentException("--augment-shift must be 0..4 pixels, got " + augmentShift);
            }
            if (!(pixelDropout >= 0.0 && pixelDropout <= 0.5))
            {
                throw new IllegalArgumentException("--pixel-dropout must be a probability in [0, 0.5], got " + pixelDropout);
            }
            if (!lrDecay.equals("none") && !lrDecay.equals("cosine"))
            {
                throw new IllegalArgumentException("--lr-decay must be 'none' or 'cosine', got '" + lrDecay + "'");
            }
            hidden = hidden != null ? hidden : recurrent ? 212 : 512;
            window = window != null ? window : recurrent ? 1 : 16;
            // the parallel LMU's defaults are the shipped model's recipe (docs/results.md); the recurrent cell's are KerasLMU's
            epochs = epochs != null ? epochs : recurrent ? 10 : 7;
            spikingEpochs = spikingEpochs != null ? spikingEpochs : recurrent ? 0 : 2;
            out = out != null ? out : Path.of(recurrent ? DEFAULT_RECURRENT_OUT : DEFAULT_OUT);
            evalDts = evalDts != null ? evalDts : recurrent ? List.of() : List.of(0.5, 1.0, 2.0, 4.0, 8.0, 16.0);
            for (final String[] limit : new String[][] {{"--train-limit", "" + trainLimit}, {"--validation-limit", "" + validationLimit},
                {"--test-limit", "" + testLimit}, {"--activity-samples", "" + activitySamples}})
            {
                if (Integer.parseInt(limit[1]) < 1)
                {
                    throw new IllegalArgumentException(limit[0] + " must be >= 1, got " + limit[1]);
                }
            }
        }

        private void checkTrainingOptions()
        {
            for (final Path p : new Path[] {out, nonSpikingOut})
            {
                Validate.outputFile(p == out ? "--out" : "--non-spiking-out", p);
                if (p != null && java.nio.file.Files.exists(p) && !force)
                {
                    throw new IllegalArgumentException((p == out ? "--out " : "--non-spiking-out ") + p + " already exists; choose another file, "
                        + "or add --force to overwrite it" + (p == out && out.equals(Path.of(DEFAULT_OUT)) ? " (the default --out)" : ""));
                }
            }
            if (resume && checkpointDir == null)
            {
                throw new IllegalArgumentException("--resume needs --checkpoint-dir DIR");
            }
            if (!anneal.equals("batch") && !anneal.equals("epoch"))
            {
                throw new IllegalArgumentException("--anneal must be 'batch' or 'epoch', got '" + anneal + "'");
            }
            if (epochs < 0 || spikingEpochs < 0 || epochs + spikingEpochs < 1)
            {
                throw new IllegalArgumentException("--epochs and --spiking-epochs must be >= 0 with at least one epoch in total, got "
                    + epochs + " and " + spikingEpochs);
            }
        }

        /** The model shape the options describe (psMNIST: 784 steps, 10 classes, ZOH). */
        LmuSpec lmuSpec()
        {
            return new LmuSpec(order, theta, true, PsMnist.STEPS, window, hidden, Activation.parse(activation), 10);
        }

        TrainingConfig trainingConfig(final int t)
        {
            return new TrainingConfig(epochs + spikingEpochs, spikingEpochs, dtStart, dtEnd, anneal.equals("batch"), batch, shard, lr, spikingLr,
                clip, seed, t, checkpointDir, checkpointMinutes, memoryDtStart, memoryDtEnd, encoding(), activityPenalty, dropout,
                lrDecay.equals("cosine"), new Augmentation(augmentShift, pixelDropout));
        }

        /** The quantizer rules --encoder, --threshold, --memory-encoder and --memory-threshold ask for (checked). */
        LmuFile.Encoding encoding()
        {
            final boolean hiddenDelta = isDelta("--encoder", encoder);
            final boolean memoryDelta = isDelta("--memory-encoder", memoryEncoder);
            if ((hiddenDelta || memoryDelta) && recurrent)
            {
                throw new IllegalArgumentException("--encoder/--memory-encoder delta train the parallel LMU only: drop --recurrent");
            }
            if (memoryDelta && memoryDtEnd == 0.0)
            {
                throw new IllegalArgumentException("--memory-encoder delta quantizes the memory output: add --memory-dt-start and --memory-dt-end");
            }
            for (final double[] th : new double[][] {{threshold, hiddenDelta ? 1 : 0}, {memoryThreshold, memoryDelta ? 1 : 0}})
            {
                if (!(th[0] >= 0.0) || Double.isInfinite(th[0]))
                {
                    throw new IllegalArgumentException("--threshold and --memory-threshold must be finite and >= 0 (in counts), got " + th[0]);
                }
            }
            return new LmuFile.Encoding(hiddenDelta, hiddenDelta ? threshold : 0.0, memoryDelta, memoryDelta ? memoryThreshold : 0.0);
        }

        private static boolean isDelta(final String option, final String value)
        {
            if (!"sigma-delta".equals(value) && !"delta".equals(value))
            {
                throw new IllegalArgumentException(option + " must be 'sigma-delta' or 'delta', got '" + value + "'");
            }
            return "delta".equals(value);
        }

        private PsMnist data() throws IOException
        {
            final Path dir = mnist != null ? mnist : MnistDataset.defaultCacheDir();
            return PsMnist.load(dir, permutationSeed);
        }

        private void evaluateOnly(final PsMnist data, final int t) throws IOException
        {
            final LmuFile m = LmuFile.load(model);
            final LmuSpec ms = LmuExport.spec(m);
            System.out.println("model " + model + ": " + ms + ", hidden quantized " + m.hiddenQuantized() + ", dt " + m.dt()
                + (m.memoryQuantized() ? ", memory output quantized, dt_m " + m.memoryDt() : ", memory output not quantized"));
            final String ds = m.extraMetadata().get("dataset");
            if (ds != null && !ds.contains("\"permutation_seed\":" + permutationSeed))
            {
                System.out.println("warning: the model's dataset metadata " + ds + " does not name permutation seed " + permutationSeed);
            }
            final long start = System.nanoTime();
            final MemoryFeatures test = LmuExport.evaluationFeatures(m,
                PsMnistTraining.features(ms, LmuExport.memory(m), data.test(), testLimit, t));
            System.out.printf(Locale.ROOT, "test features: %d samples in %.1f s%n", test.count(), (System.nanoTime() - start) * 1e-9);
            final List<DtPoint> rows = sweep(ms, LmuExport.parameters(m), test, t, dtList(m.dt()), m.memoryDt(), m.encoding());
            printTable("Test set (" + test.count() + " samples), model " + model.getFileName()
                + (m.memoryQuantized() ? ", memory quantized at dt_m " + m.memoryDt() : ""), rows);
            memorySweep(ms, LmuExport.parameters(m), test, t, m);
            final String training = m.extraMetadata().get("training");
            if (training != null)
            {
                System.out.println("recorded at training: " + training);
                compareWithRecord(training, m.extraMetadata().get("dataset"), rows, test.count(), evalSeed);
            }
        }

        List<Double> dtList(final double target)
        {
            final List<Double> dts = new ArrayList<>();
            dts.add(0.0);
            for (final double d : evalDts)
            {
                if (!(d > 0.0))
                {
                    throw new IllegalArgumentException("--eval-dt values must be positive, got " + d);
                }
                dts.add(d);
            }
            if (!dts.contains(target))
            {
                dts.add(target);
            }
            return dts;
        }

        /** A model with a quantized memory: accuracy against the memory quantizer's dt at the hidden dt of the file. */
        private void memorySweep(final LmuSpec s, final LmuParameters p, final MemoryFeatures test, final int t, final LmuFile m)
        {
            if (!m.memoryQuantized())
            {
                return;
            }
            System.out.println("Memory quantizer dt sweep (hidden dt " + m.dt() + "; dt_m 'off' = memory not quantized):");
            try (Trainer evaluator = new Trainer(s, TrainingConfig.defaults(1, 0, 0, t).withEncoding(m.encoding())))
            {
                final List<Double> dts = new ArrayList<>();
                dts.add(0.0);
                dts.addAll(evalMemoryDts);
                for (final double dtm : dts)
                {
                    final Evaluation e = evaluator.evaluate(p, test, m.dt(), dtm, evalSeed, false);
                    System.out.printf(Locale.ROOT, "  dt_m %s: accuracy %.2f%%%n", EpochRecord.dtNameOf(dtm), 100 * e.accuracy());
                }
            }
            System.out.println();
        }

        private List<DtPoint> sweep(final LmuSpec s, final LmuParameters p, final MemoryFeatures test, final int t, final List<Double> dts,
            final double memoryDt, final LmuFile.Encoding encoding)
        {
            final List<DtPoint> rows = new ArrayList<>();
            try (Trainer evaluator = new Trainer(s, TrainingConfig.defaults(1, 0, 0, t).withEncoding(encoding)))
            {
                for (final double dt : dts)
                {
                    final long start = System.nanoTime();
                    final Evaluation e = evaluator.evaluate(p, test, dt, dt > 0.0 ? memoryDt : 0.0, evalSeed, true);
                    final DtPoint point = DtPoint.of(e);
                    rows.add(point);
                    System.out.printf(Locale.ROOT, "  dt %s: accuracy %.2f%% (%.1f s, %.0f samples/s)%n", EpochRecord.dtNameOf(dt), 100 * e.accuracy(),
                        (System.nanoTime() - start) * 1e-9, e.samples() / ((System.nanoTime() - start) * 1e-9));
                }
            }
            return rows;
        }

        static void printTable(final String title, final List<DtPoint> rows)
        {
            System.out.println();
            System.out.println(title);
            System.out.println(DtPoint.markdownHeader());
            for (final DtPoint r : rows)
            {
                System.out.println(r.markdownRow());
            }
            System.out.println();
        }

        private void train(final PsMnist data, final int t) throws IOException
        {
            final long wallStart = System.nanoTime();
            final LmuSpec s = lmuSpec();
            final TrainingConfig config = trainingConfig(t);
            final MemoryMatrices memory = MemoryMatrices.of(s);
            long start = System.nanoTime();
            final PsMnistTraining.Prepared prepared = PsMnistTraining.prepare(s, memory, data.train(), data.validation(), trainLimit,
                validationLimit, t);
            System.out.printf(Locale.ROOT, "memory features: %d train + %d validation samples × %d steps × %d in %.1f s%n",
                prepared.train().count(), prepared.validation().count(), window, s.order(), (System.nanoTime() - start) * 1e-9);
            TrainingState state = null;
            if (resume)
            {
                final Path file = checkpointDir.resolve(Checkpoint.FILE_NAME);
                if (Files.isRegularFile(file))
                {
                    state = Checkpoint.read(file, s, config);
                    if (!java.util.Arrays.equals(state.standardization().mean(), prepared.standardization().mean())
                        || !java.util.Arrays.equals(state.standardization().std(), prepared.standardization().std()))
                    {
                        throw new IllegalStateException("checkpoint " + file + " was trained on other data (feature statistics differ); "
                            + "use the same --train-limit, --permutation-seed and MNIST files");
                    }
                    System.out.println("resuming from " + file + " at epoch " + (state.epoch() + 1) + ", batch " + state.batch());
                }
                else
                {
                    System.out.println("no checkpoint in " + checkpointDir + "; starting fresh");
                }
            }
            if (state == null && initFrom != null)
            {
                final LmuFile init = LmuFile.load(initFrom);
                if (!LmuExport.spec(init).equals(s))
                {
                    throw new IllegalArgumentException("--init-from " + initFrom + " holds model " + LmuExport.spec(init) + ", but the options ask for "
                        + s + "; match --hidden, --activation and --window");
                }
                state = TrainingState.start(s, config, prepared.standardization(), LmuExport.unfold(init, prepared.standardization()));
                System.out.println("initialized from " + initFrom);
            }
            if (state == null)
            {
                state = TrainingState.start(s, config, prepared.standardization());
            }
            final int batches = (prepared.train().count() + batch - 1) / batch;
            try (Trainer trainer = new Trainer(s, config);
                TrainingProgress progress = new TrainingProgress((long)config.epochs() * batches, (long)state.epoch() * batches + state.batch()))
            {
                final Trainer.EpochFeatures perturbed = config.augmentation().active()
                    ? new PerturbedFeatures(s, memory, data.train(), data.permutation(), config, prepared.standardization()) : null;
                trainer.train(state, prepared.train(), prepared.validation(), perturbed, progress);
                if (progress.stopped())
                {
                    printStopped(state.epoch(), state.batch());
                    return;
                }
            }
            final double trainSeconds = state.elapsedSeconds();
            final double samplesPerSecond = (double)config.epochs() * prepared.train().count() / trainSeconds;
            System.out.printf(Locale.ROOT, "training: %.1f min over all runs, %.0f training samples/s (validation passes included in the time)%n",
                trainSeconds / 60, samplesPerSecond);

            start = System.nanoTime();
            MemoryFeatures test = PsMnistTraining.features(s, memory, data.test(), testLimit, t);
            System.out.printf(Locale.ROOT, "test features: %.1f s%n", (System.nanoTime() - start) * 1e-9);
            final Map<String, String> dataset = datasetMetadata(prepared.train().count(), prepared.validation().count(), test.count());
            if (state.bestNonSpiking() != null)
            {
                final LmuFile ns = LmuExport.export(state.bestNonSpiking(), state.standardization(), memory, dtEnd, false, Map.of());
                final List<DtPoint> rows = sweep(s, LmuExport.parameters(ns), test, t, dtList(dtEnd), 0.0, withoutMemoryDelta(config.encoding()));
                printTable(String.format(Locale.ROOT, "Best non-spiking-phase model (epoch %d, validation %.2f%%), quantized without fine-tuning:",
                    state.bestNonSpikingEpoch() + 1, 100 * state.bestNonSpikingAccuracy()), rows);
                if (nonSpikingOut != null)
                {
                    final Map<String, String> meta = new LinkedHashMap<>(dataset);
                    meta.put("training", provenance(config, trainSeconds, samplesPerSecond, rows, state.bestNonSpikingEpoch(),
                        state.bestNonSpikingAccuracy(), wallStart));
                    ns.withExtraMetadata(meta).write(nonSpikingOut);
                    System.out.println("wrote " + nonSpikingOut);
                }
            }
            final boolean hybrid = state.bestSpiking() != null;
            final LmuParameters best = state.best();
            final double exportMemoryDt = hybrid && config.memoryQuantized() ? memoryDtEnd : 0.0;
            final LmuFile exported = LmuExport.export(best, state.standardization(), memory, dtEnd, hybrid, exportMemoryDt, Map.of());
            final LmuFile draft = hybrid ? exported.withEncoding(exportMemoryDt > 0.0 ? config.encoding() : withoutMemoryDelta(config.encoding()))
                : exported;
            test = LmuExport.evaluationFeatures(draft, test);
            final List<DtPoint> rows = sweep(s, LmuExport.parameters(draft), test, t, dtList(dtEnd), exportMemoryDt, draft.encoding());
            printTable(hybrid ? String.format(Locale.ROOT, "Best spiking-aware model (epoch %d, validation %.2f%% at dt %s):", state.bestSpikingEpoch() + 1,
                100 * state.bestSpikingAccuracy(), EpochRecord.dtNameOf(dtEnd)) : "Final model:", rows);
            final Map<String, String> meta = new LinkedHashMap<>(dataset);
            meta.put("training", provenance(config, trainSeconds, samplesPerSecond, rows, hybrid ? state.bestSpikingEpoch() : state.bestNonSpikingEpoch(),
                hybrid ? state.bestSpikingAccuracy() : state.bestNonSpikingAccuracy(), wallStart));
            draft.withExtraMetadata(meta).write(out);
            System.out.println("wrote " + out + " (" + Files.size(out) + " bytes)");
            memorySweep(s, LmuExport.parameters(draft), test, t, draft);
        }

        private static LmuFile.Encoding withoutMemoryDelta(final LmuFile.Encoding e)
        {
            return new LmuFile.Encoding(e.hiddenDelta(), e.hiddenThreshold(), false, 0.0);
        }

        /** What to do after a signal stopped training (printed before the JVM exits). */
        void printStopped(final int epoch, final int batchInEpoch)
        {
            System.out.println(checkpointDir != null
                ? "stopped at epoch " + (epoch + 1) + ", batch " + batchInEpoch + "; checkpoint in " + checkpointDir + ", continue with --resume"
                : "stopped; no --checkpoint-dir, so nothing was saved");
            System.out.flush();
        }

        Map<String, String> datasetMetadata(final int trainCount, final int validationCount, final int testCount)
        {
            final JsonObject o = new JsonObject();
            o.addProperty("name", "psmnist");
            o.addProperty("source", "MNIST (LeCun et al.), original IDX files");
            o.addProperty("scale", "pixel/255");
            o.addProperty("permutation", "numpy RandomState(permutation_seed).permutation(784)");
            o.addProperty("permutation_seed", permutationSeed);
            o.addProperty("steps", 784);
            o.addProperty("train", trainCount);
            o.addProperty("validation", validationCount == PsMnist.VALIDATION_SIZE ? "last 10000 of the 60000 training images"
                : "first " + validationCount + " of the last 10000 training images");
            o.addProperty("test", testCount == 10_000 ? "the 10000 test images" : "the first " + testCount + " test images");
            final Map<String, String> m = new LinkedHashMap<>();
            m.put("dataset", GSON.toJson(o));
            return m;
        }

        String provenance(final TrainingConfig c, final double trainSeconds, final double samplesPerSecond,
            final List<DtPoint> rows, final int bestEpoch, final double bestValidation, final long wallStart)
        {
            final JsonObject o = new JsonObject();
            o.addProperty("command", "spikering " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
            o.addProperty("seed", c.seed());
            o.addProperty("epochs", c.epochs() - c.spikingEpochs());
            o.addProperty("spiking_epochs", c.spikingEpochs());
            o.addProperty("dt_start", c.dtStart());
            o.addProperty("dt_end", c.dtEnd());
            o.addProperty("anneal", c.annealPerBatch() ? "batch" : "epoch");
            if (c.memoryQuantized())
            {
                o.addProperty("memory_dt_start", c.memoryDtStart());
                o.addProperty("memory_dt_end", c.memoryDtEnd());
            }
            if (initFrom != null)
            {
                o.addProperty("init_from", initFrom.toString());
            }
            o.addProperty("learning_rate", c.learningRate());
            o.addProperty("spiking_learning_rate", c.spikingLearningRate());
            o.addProperty("clip_norm", c.clipNorm());
            o.addProperty("batch", c.batchSize());
            o.addProperty("shard", c.shardSize());
            o.addProperty("threads", c.threads());
            o.addProperty("optimizer", "adam(beta1=0.9, beta2=0.999, eps=1e-7)");
            o.addProperty("best_epoch", bestEpoch + 1);
            o.addProperty("best_validation_accuracy", bestValidation);
            o.addProperty("train_wall_seconds", Math.round(trainSeconds * 10) / 10.0);
            o.addProperty("last_run_wall_seconds", Math.round((System.nanoTime() - wallStart) * 1e-8) / 10.0);
            o.addProperty("train_samples_per_second", Math.round(samplesPerSecond));
            o.addProperty("test_eval_seed", evalSeed);
            o.addProperty("test_samples", testLimit);
            final JsonObject acc = new JsonObject();
            for (final DtPoint r : rows)
            {
                acc.addProperty(r.dt() > 0.0 ? "dt=" + r.dt() : "non-spiking", r.accuracy());
            }
            o.add("test_accuracy", acc);
            o.addProperty("java", Runtime.version().toString());
            return GSON.toJson(o);
        }

        private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
    }
}
