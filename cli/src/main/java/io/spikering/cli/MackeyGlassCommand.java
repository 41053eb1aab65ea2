package io.spikering.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.spikering.core.data.MackeyGlass;
import io.spikering.core.lmu.NeuroBenchMetrics;
import io.spikering.core.stream.LmuPredictor;
import io.spikering.core.stream.OutputWire;
import io.spikering.core.stream.Queues;
import io.spikering.core.stream.SampleWire;
import io.spikering.training.mackeyglass.MackeyGlassBenchmark;
import io.spikering.training.mackeyglass.MackeyGlassEvaluation;
import io.spikering.training.mackeyglass.MackeyGlassTrainer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spikering mackey-glass train|evaluate|score}: the NeuroBench Mackey-Glass task (docs/mackey-glass.md). */
@Command(name = "mackey-glass", mixinStandardHelpOptions = true,
    description = "NeuroBench Mackey-Glass chaotic prediction with a spiking LMU predictor (docs/mackey-glass.md).",
    subcommands = {MackeyGlassCommand.Train.class, MackeyGlassCommand.Evaluate.class, MackeyGlassCommand.Score.class})
public final class MackeyGlassCommand implements Runnable
{
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    public void run()
    {
        spec.commandLine().usage(System.out);
    }

    /** Hyperparameters shared by train and evaluate; defaults are the shipped model's. */
    static final class Hyper
    {
        @Option(names = "--order", defaultValue = "10", description = "Legendre memory order d (default ${DEFAULT-VALUE}).")
        int order;
        @Option(names = "--theta", defaultValue = "9", description = "Memory window θ in steps (default ${DEFAULT-VALUE}).")
        double theta;
        @Option(names = "--hidden", defaultValue = "300", description = "Hidden units (default ${DEFAULT-VALUE}).")
        int hidden;
        @Option(names = "--quantizer-dt", defaultValue = "128", description = "Sigma-delta dt; 0 = non-spiking tanh (default ${DEFAULT-VALUE}).")
        double dt;
        @Option(names = "--ridge", defaultValue = "1e-8", description = "Ridge penalty on standardized features (default ${DEFAULT-VALUE}).")
        double ridge;
        @Option(names = "--noise", defaultValue = "0.001", description = "Input noise std of the augmented copies (default ${DEFAULT-VALUE}).")
        double noise;
        @Option(names = "--copies", defaultValue = "4", description = "Training copies (1 clean + noisy) (default ${DEFAULT-VALUE}).")
        int copies;
        @Option(names = "--delay-min", defaultValue = "3.5", description = "Delay encoders: smallest delay φ in steps (default ${DEFAULT-VALUE}).")
        double delayMin;
        @Option(names = "--delay-max", defaultValue = "8.5", description = "Largest delay φ; 0 = random sparse encoders instead (default ${DEFAULT-VALUE}).")
        double delayMax;
        @Option(names = "--fan-in", defaultValue = "4", description = "Random encoders only: non-zero weights per unit (default ${DEFAULT-VALUE}).")
        int fanIn;
        @Option(names = "--epochs", defaultValue = "0", description = "Adam epochs on the tanh network after the ridge fit (default ${DEFAULT-VALUE}).")
        int epochs;
        @Option(names = "--spiking-epochs", defaultValue = "0", description = "Spiking-aware (straight-through) Adam epochs (default ${DEFAULT-VALUE}).")
        int spikingEpochs;
        @Option(names = "--lr", defaultValue = "1e-4", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
        double lr;
        @Option(names = "--seed", defaultValue = "1", description = "Seed (repeat k uses seed + k) (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--encoder", defaultValue = "sigma-delta",
            description = "Hidden quantizer rule: 'sigma-delta' (the paper's) or 'delta' (Loihi 2's; docs/delta-encoder.md) (default ${DEFAULT-VALUE}).")
        String encoder;
        @Option(names = "--threshold", defaultValue = "1", description = "--encoder delta: smallest change sent, in counts (default ${DEFAULT-VALUE}).")
        double threshold;

        @Option(names = "--taps", split = ",", paramLabel = "PHI",
            description = "Tap basis: --order distinct delays in [0, theta] (steps, scaled like the delay range); the memory state then holds the "
                + "decoded input at these delays and each delay encoder reads --tap-fan-in taps in [--delay-min, --delay-max] instead of all d "
                + "components (default: Legendre basis).")
        double[] taps;
        @Option(names = "--tap-fan-in", defaultValue = "1", description = "--taps: taps per hidden unit (3 or more: random convex weights) (default ${DEFAULT-VALUE}).")
        int tapFanIn;
        @Option(names = "--tap-spread", defaultValue = "0",
            description = "--taps with --tap-fan-in 2: a unit reads a·u(t−φ1) + (1−a)·u(t−φ2), a uniform in [−S, 1+S] (default ${DEFAULT-VALUE}: interpolation only).")
        double tapSpread;
        @Option(names = "--tap-adjacent", description = "--taps with --tap-fan-in 2: a unit reads two taps adjacent in delay (default: any two in range).")
        boolean tapAdjacent;
        @Option(names = "--select-seeds", defaultValue = "1",
            description = "Per repeat, train this many encoder seeds on the first 750 − H training points, keep the one with the best autonomous "
                + "sMAPE over the last H training points, retrain it on all 750 (default ${DEFAULT-VALUE}: no selection).")
        int selectSeeds;
        @Option(names = "--select-holdout", defaultValue = "150", description = "--select-seeds: H, training points held out (default ${DEFAULT-VALUE}).")
        int selectHoldout;

        /** The config for one series with the encoder seed chosen by --select-seeds on its training points. */
        MackeyGlassTrainer.Config selected(final MackeyGlassTrainer.Config c, final double scale, final double[] s)
        {
            return c.withSeed(MackeyGlassBenchmark.selectSeed(x -> trainer(x, scale), c, s, selectSeeds, selectHoldout));
        }

        MackeyGlassTrainer trainer(final MackeyGlassTrainer.Config c)
        {
            return trainer(c, 1.0);
        }

        /** A trainer for {@code c} with the --encoder rule and the --taps basis scaled by {@code scale} (checked). */
        MackeyGlassTrainer trainer(final MackeyGlassTrainer.Config c, final double scale)
        {
            final MackeyGlassTrainer t0 = plainTrainer(c);
            if (taps == null || taps.length == 0)
            {
                return t0;
            }
            final double[] scaled = new double[taps.length];
            for (int k = 0; k < taps.length; k++)
            {
                scaled[k] = taps[k] * scale;
            }
            return t0.taps(scaled, tapFanIn).tapSpread(tapSpread).tapAdjacent(tapAdjacent);
        }

        private MackeyGlassTrainer plainTrainer(final MackeyGlassTrainer.Config c)
        {
            if (!"sigma-delta".equals(encoder) && !"delta".equals(encoder))
            {
                throw new IllegalArgumentException("--encoder must be 'sigma-delta' or 'delta', got '" + encoder + "'");
            }
            final MackeyGlassTrainer t = new MackeyGlassTrainer(c);
            return "delta".equals(encoder) ? t.delta(threshold) : t;
        }

        MackeyGlassTrainer.Config config()
        {
            return config(1.0);
        }

        /** With θ and the delay range multiplied by {@code scale} (the series' delay τ/Δ in steps relative to τ = 17's). */
        MackeyGlassTrainer.Config config(final double scale)
        {
            return new MackeyGlassTrainer.Config(order, theta * scale, hidden, dt > 0, dt > 0 ? dt : 1.0, 1.0, seed, ridge, epochs, spikingEpochs,
                lr, 1.0, noise, copies, delayMax > 0 ? 0 : fanIn, delayMax > 0 ? delayMin * scale : 0, delayMax * scale);
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train on the 750 training points of one NeuroBench repeat and write the model; prints its test sMAPE.")
    static final class Train implements Callable<Integer>
    {
        @picocli.CommandLine.Mixin
        Hyper hyper;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Model file to write.")
        Path out;

        @Option(names = "--repeat", defaultValue = "0", description = "NeuroBench repeat k (series offset 37.5·k) (default ${DEFAULT-VALUE}).")
        int repeat;

        public Integer call() throws IOException
        {
            final double[] s = MackeyGlassBenchmark.series(MackeyGlass.neuroBench(), 0, repeat);
            final MackeyGlassTrainer.Config c = hyper.selected(hyper.config().withSeed(hyper.seed + repeat), 1.0, s);
            final Map<String, String> meta = new LinkedHashMap<>();
            meta.put("task", "mackey-glass");
            meta.put("series", "NeuroBench repeat " + repeat + " (tau=17, offset " + repeat * MackeyGlassBenchmark.REPEAT_OFFSET + ")");
            meta.put("training_config", c.toString());
            if (hyper.taps != null && hyper.taps.length > 0)
            {
                meta.put("taps", java.util.Arrays.toString(hyper.taps) + ", fan-in " + hyper.tapFanIn + ", spread " + hyper.tapSpread + (hyper.tapAdjacent ? ", adjacent" : ""));
            }
            final LmuPredictor model = hyper.trainer(c).train(s, MackeyGlassBenchmark.TRAIN_POINTS, meta);
            model.write(out);
            final MackeyGlassEvaluation.Score score = MackeyGlassEvaluation.score(model, s);
            System.out.printf(Locale.ROOT, "wrote %s; repeat %d test sMAPE %.3f (autonomous, 749 steps); per step: %.0f MACs + %.0f row adds " +
                "= %.0f effective ops, %.0f synops%n", out, repeat, score.smape(), score.macsPerStep(), score.rowAddsPerStep(),
                score.effectiveOpsPerStep(), score.synopsPerStep());
            return 0;
        }
    }

    @Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "NeuroBench protocol: for each repeat, train on its 750 points and score 749 autonomous predictions in the engine.")
    static final class Evaluate implements Callable<Integer>
    {
        @picocli.CommandLine.Mixin
        Hyper hyper;

        @Option(names = "--repeats", defaultValue = "30", description = "Repeats (NeuroBench: 30) (default ${DEFAULT-VALUE}).")
        int repeats;

        @Option(names = "--validation", description = "Use the validation segments (offsets from t = 20000) instead of the test repeats.")
        boolean validation;

        @Option(names = "--tau", split = ",", defaultValue = "17", paramLabel = "TAU",
            description = "NeuroBench series: tau values in 17..30, comma-separated, or 'all' (default ${DEFAULT-VALUE}).")
        List<String> taus;

        @Option(names = "--json", paramLabel = "FILE", description = "Also write the results (per tau: sMAPE per repeat, ops, NeuroBench metrics) as JSON.")
        Path json;

        @Option(names = "--scale-delays", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Scale --theta, --delay-min and --delay-max by the series' delay in samples, (tau / sampling interval) / (17 / (197/75)), "
                + "so that the memory spans the same part of the dynamics for every tau (tau 17: unchanged; default ${DEFAULT-VALUE}).")
        boolean scaleDelays;

        public Integer call() throws IOException
        {
            if (repeats < 1 || repeats > 1000)
            {
                throw new IllegalArgumentException("--repeats must be in [1, 1000], got " + repeats);
            }
            final List<Integer> tauList = parseTaus(taus);
            final double base = validation ? MackeyGlassBenchmark.VALIDATION_START : 0;
            final JsonArray all = new JsonArray();
            final List<String> summary = new ArrayList<>();
            for (final int tau : tauList)
            {
                final MackeyGlass mg = MackeyGlass.neuroBench(tau);
                final MackeyGlass reference = MackeyGlass.neuroBench();
                final double scale = scaleDelays ? (tau / mg.sampleInterval()) / (reference.tau() / reference.sampleInterval()) : 1.0;
                double smape = 0;
                double ops = 0;
                double synops = 0;
                double macs = 0;
                double rows = 0;
                final double[] nb = new double[9];
                final List<String> per = new ArrayList<>();
                final JsonArray perJson = new JsonArray();
                for (int k = 0; k < repeats; k++)
                {
                    final double[] s = MackeyGlassBenchmark.series(mg, base, k);
                    final MackeyGlassTrainer.Config c = hyper.selected(hyper.config(scale).withSeed(hyper.seed + k), scale, s);
                    final LmuPredictor model = hyper.trainer(c, scale).train(s, MackeyGlassBenchmark.TRAIN_POINTS, Map.of());
                    final MackeyGlassEvaluation.Score score = MackeyGlassEvaluation.score(model, s);
                    smape += score.smape() / repeats;
                    ops += score.effectiveOpsPerStep() / repeats;
                    macs += score.macsPerStep() / repeats;
                    rows += score.rowAddsPerStep() / repeats;
                    synops += score.synopsPerStep() / repeats;
                    final NeuroBenchMetrics m = score.neuroBench();
                    final double[] v = {m.footprintBytes(), m.connectionSparsity(), m.activationSparsity(), m.dense(), m.effectiveMacs(),
                        m.effectiveAcs(), m.membraneUpdates(), m.neuronOpsEffective(), m.neuronOpsDense()};
                    for (int i = 0; i < v.length; i++)
                    {
                        nb[i] += v[i] / repeats;
                    }
                    per.add(String.format(Locale.ROOT, "%.2f", score.smape()));
                    perJson.add(score.smape());
                    System.err.printf(Locale.ROOT, "tau %d repeat %d: sMAPE %.3f%n", tau, k, score.smape());
                }
                final NeuroBenchMetrics mean = new NeuroBenchMetrics(Math.round(nb[0]), nb[1], nb[2], nb[3], nb[4], nb[5], nb[6], nb[7], nb[8]);
                System.out.printf(Locale.ROOT, "tau %d (Lyapunov time %s, constant past %s, theta %.2f, delays %.2f..%.2f): %s repeats: mean sMAPE " +
                    "%.3f (per repeat %s)%n", tau, ModelRun.trim(mg.lyapunovTime()), mg.constantPast(), hyper.theta * scale, hyper.delayMin * scale,
                    hyper.delayMax * scale, validation ? "validation" : "test", smape, per);
                System.out.printf(Locale.ROOT, "per step: %.0f MACs + %.0f row adds = %.0f effective ops (NeuroBench ESN 4.37E3), %.0f synops%n",
                    macs, rows, ops, synops);
                System.out.printf(Locale.ROOT, "NeuroBench metrics per step (a NeuroBench sample), mean over the repeats (docs/neurobench.md)%n");
                System.out.print(NeuroBenchMetrics.table(List.of("tau " + tau), mean));
                summary.add(String.format(Locale.ROOT, "%3d %9s %10s %8.2f %14.0f %14.0f %14.0f %10.4f", tau, ModelRun.trim(mg.lyapunovTime()),
                    Double.toString(mg.constantPast()), smape, mean.effectiveMacs(), mean.effectiveAcs(), mean.dense(), mean.activationSparsity()));
                final JsonObject o = new JsonObject();
                o.addProperty("tau", tau);
                o.addProperty("lyapunov_time", mg.lyapunovTime());
                o.addProperty("constant_past", mg.constantPast());
                o.addProperty("segments", validation ? "validation" : "test");
                o.addProperty("theta", hyper.theta * scale);
                o.addProperty("delay_min", hyper.delayMin * scale);
                o.addProperty("delay_max", hyper.delayMax * scale);
                o.addProperty("repeats", repeats);
                o.addProperty("smape", smape);
                o.add("smape_per_repeat", perJson);
                o.addProperty("macs_per_step", macs);
                o.addProperty("row_adds_per_step", rows);
                o.addProperty("synops_per_step", synops);
                o.add("neurobench", mean.toJson());
                all.add(o);
            }
            if (tauList.size() > 1)
            {
                System.out.printf(Locale.ROOT, "%n%3s %9s %10s %8s %14s %14s %14s %10s%n", "tau", "lyap.time", "x(t<=0)", "sMAPE", "Effective_MACs",
                    "Effective_ACs", "Dense", "ActSparsity");
                summary.forEach(System.out::println);
            }
            if (json != null)
            {
                final Path parent = json.toAbsolutePath().getParent();
                Files.createDirectories(parent);
                Files.writeString(json, new GsonBuilder().setPrettyPrinting().create().toJson(all) + "\n", StandardCharsets.UTF_8);
                System.out.println("wrote " + json);
            }
            return 0;
        }

        private static List<Integer> parseTaus(final List<String> values)
        {
            final List<Integer> taus = new ArrayList<>();
            for (final String v : values)
            {
                if ("all".equalsIgnoreCase(v.trim()))
                {
                    for (int t = MackeyGlass.MIN_TAU; t <= MackeyGlass.MAX_TAU; t++)
                    {
                        taus.add(t);
                    }
                    continue;
                }
                final int t;
                try
                {
                    t = Integer.parseInt(v.trim());
                }
                catch (final NumberFormatException e)
                {
                    throw new IllegalArgumentException("--tau: '" + v + "' is not an integer; give values in " + MackeyGlass.MIN_TAU + ".." +
                        MackeyGlass.MAX_TAU + " or 'all'");
                }
                if (t < MackeyGlass.MIN_TAU || t > MackeyGlass.MAX_TAU)
                {
                    throw new IllegalArgumentException("--tau: NeuroBench's series have tau " + MackeyGlass.MIN_TAU + ".." + MackeyGlass.MAX_TAU +
                        ", got " + t);
                }
                taus.add(t);
            }
            return taus;
        }
    }

    @Command(name = "score", mixinStandardHelpOptions = true,
        description = "sMAPE of a 'stream run --autonomous-after 750' output queue against its Mackey-Glass input queue.")
    static final class Score implements Callable<Integer>
    {
        @Option(names = "--in", required = true, paramLabel = "DIR", description = "Input queue (from 'stream feed --source mackey-glass').")
        Path in;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output queue of 'stream run'.")
        Path out;

        @Option(names = "--warm", defaultValue = "750", description = "Teacher-forced steps per sequence (default ${DEFAULT-VALUE}).")
        int warm;

        public Integer call() throws IOException
        {
            final List<double[]> inputs = new ArrayList<>();
            final List<Integer> step = new ArrayList<>();
            try (ChronicleQueue q = Queues.openExisting(in, "input"); ExcerptTailer t = q.createTailer())
            {
                final SampleWire.Sample s = new SampleWire.Sample();
                int k = -1;
                while (true)
                {
                    try (DocumentContext dc = t.readingDocument())
                    {
                        if (!dc.isPresent())
                        {
                            break;
                        }
                        final String error = SampleWire.read(dc.wire().bytes(), s);
                        if (error != null)
                        {
                            throw new IOException(in + ": input excerpt " + inputs.size() + ": " + error);
                        }
                        k = s.sequenceStart() ? 0 : k + 1;
                        inputs.add(new double[] {s.values[0]});
                        step.add(k);
                    }
                }
            }
            final List<Double> predictions = new ArrayList<>();
            final List<Double> targets = new ArrayList<>();
            double sumOps = 0;
            double sumSynops = 0;
            try (ChronicleQueue q = Queues.openExisting(out, "output"); ExcerptTailer t = q.createTailer())
            {
                final OutputWire.Output o = new OutputWire.Output();
                while (true)
                {
                    try (DocumentContext dc = t.readingDocument())
                    {
                        if (!dc.isPresent())
                        {
                            break;
                        }
                        final String error = OutputWire.read(dc.wire().bytes(), o);
                        if (error != null)
                        {
                            throw new IOException(out + ": " + error);
                        }
                        final int i = (int)o.inputOrdinal;
                        // prediction at step k ≥ warm of a sequence is scored against the next input of the same sequence
                        if (o.status == OutputWire.STATUS_OK && step.get(i) >= warm && i + 1 < inputs.size() && step.get(i + 1) == step.get(i) + 1)
                        {
                            predictions.add((double)o.values[0]);
                            targets.add(inputs.get(i + 1)[0]);
                            sumOps += o.macs + o.rowAdds;
                            sumSynops += o.synops;
                        }
                    }
                }
            }
            if (predictions.isEmpty())
            {
                throw new IllegalArgumentException("no scored predictions: sequences must be longer than --warm " + warm + " + 1");
            }
            final double[] p = predictions.stream().mapToDouble(Double::doubleValue).toArray();
            final double[] y = targets.stream().mapToDouble(Double::doubleValue).toArray();
            System.out.printf(Locale.ROOT, "sMAPE %.3f over %d autonomous predictions; per step %.0f effective ops (MACs + row adds), %.0f synops%n",
                MackeyGlass.smape(p, y), p.length, sumOps / p.length, sumSynops / p.length);
            return 0;
        }
    }
}
