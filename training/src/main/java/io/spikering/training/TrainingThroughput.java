package io.spikering.training;

import io.spikering.neuron.Activation;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Measures training throughput (samples/s, forward + backward + optimizer step) on random psMNIST-shaped data:
 * {@code parallel} = the shipped feed-forward-in-time LMU (512 tanh, K = 16, features precomputed) and
 * {@code recurrent} = KerasLMU's psMNIST configuration (212 tanh units with recurrent kernel, order 256, θ = 784,
 * full BPTT over 784 steps, batch 100). Usage: {@code java -cp spikering.jar io.spikering.training.TrainingThroughput
 * parallel|recurrent [seconds] [threads] [shard size]}
 * (recurrent: samples per shard, default 10). The recurrent line also reports samples per CPU-second of the whole
 * process, which is less sensitive to other load on the machine than samples per wall-clock second.
 */
public final class TrainingThroughput
{
    private TrainingThroughput()
    {
    }

    /** CPU time of the whole process (all threads), or -1 if the JVM does not report it. */
    private static long processCpuNanos()
    {
        final java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean ? ((com.sun.management.OperatingSystemMXBean)os).getProcessCpuTime() : -1L;
    }

    public static void main(final String[] args)
    {
        final String mode = args.length > 0 ? args[0] : "parallel";
        final double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 30.0;
        final int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        final int shard = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        final SplittableRandom r = new SplittableRandom(1);
        if (mode.equals("recurrent"))
        {
            final LmuSpec spec = new LmuSpec(256, 784.0, true, 784, 1, 212, Activation.TANH, 10);
            final int n = 100;
            final float[][] x = new float[n][784];
            final int[] labels = new int[n];
            final int[] order = new int[n];
            for (int s = 0; s < n; s++)
            {
                labels[s] = r.nextInt(10);
                order[s] = s;
                for (int t = 0; t < 784; t++)
                {
                    x[s][t] = r.nextDouble() < 0.2 ? (float)r.nextDouble() : 0.0f;
                }
            }
            try (RecurrentTrainer trainer = new RecurrentTrainer(spec, RecurrentLmu.Options.kerasPsMnist(), 1, 100, shard, threads, 1e-3, 0.0, 0))
            {
                System.out.printf(Locale.ROOT, "recurrent LMU (KerasLMU psMNIST: 212 tanh + recurrent kernel, order 256, 784 steps, BPTT), %d parameters, %d threads; products: %s%n",
                    trainer.parameters().length, threads, RecurrentTrainer.products());
                // warm-up: until the JIT has compiled the kernels (the Vector API runs ~100x slower interpreted), as a long run would
                final long warmStart = System.nanoTime();
                while (System.nanoTime() - warmStart < 3_000_000_000L)
                {
                    trainer.step(x, labels, order, 0, 100, 0.0, 0);
                }
                long done = 0;
                final long cpuStart = processCpuNanos();
                final long start = System.nanoTime();
                while ((System.nanoTime() - start) * 1e-9 < seconds)
                {
                    trainer.step(x, labels, order, 0, 100, 0.0, 0);
                    done += 100;
                }
                final double s = (System.nanoTime() - start) * 1e-9;
                final double cpu = (processCpuNanos() - cpuStart) * 1e-9;
                System.out.printf(Locale.ROOT, "recurrent: %d samples in %.1f s = %.2f training samples/s (%.1f CPU s: %.2f samples per CPU-second; shard %d)%n",
                    done, s, done / s, cpu, done / cpu, shard);
            }
            return;
        }
        final LmuSpec spec = LmuSpec.psMnist(512, Activation.TANH, 16);
        final int n = 2000;
        final float[][] x = new float[n][784];
        final int[] labels = new int[n];
        for (int s = 0; s < n; s++)
        {
            labels[s] = r.nextInt(10);
            for (int t = 0; t < 784; t++)
            {
                x[s][t] = r.nextDouble() < 0.2 ? (float)r.nextDouble() : 0.0f;
            }
        }
        final MemoryFeatures f = MemoryFeatures.compute(spec, MemoryMatrices.of(spec), x, labels, threads);
        final Standardization std = f.statistics();
        f.standardize(std);
        final MemoryFeatures validation = MemoryFeatures.compute(spec, MemoryMatrices.of(spec), java.util.Arrays.copyOf(x, 100),
            java.util.Arrays.copyOf(labels, 100), threads);
        validation.standardize(std);
        final TrainingConfig c = TrainingConfig.defaults(1000, 0, 0, threads);
        try (Trainer trainer = new Trainer(spec, c))
        {
            System.out.printf(Locale.ROOT, "parallel LMU, %d threads; products: %s%n", threads, WindowProducts.best().describe());
            // warm-up for 3 s (the Vector API runs ~100x slower before C2 compiles it), then measure from the state reached
            final TrainingState state = trainer.train(TrainingState.start(spec, c, std), f, validation, new StopAfter(3.0, System.nanoTime()));
            final long start = System.nanoTime();
            final StopAfter measured = new StopAfter(seconds, start);
            trainer.train(state, f, validation, measured);
            final long samples = measured.batches * 100L;
            final double s = (System.nanoTime() - start) * 1e-9;
            System.out.printf(Locale.ROOT, "parallel LMU (512 tanh, K=16, order 256, features precomputed): %d samples in %.1f s = %.1f training samples/s (%d threads)%n",
                samples, s, samples / s, threads);
        }
    }

    /** Counts batches and asks the trainer to stop once {@code seconds} have passed since {@code start}. */
    private static final class StopAfter implements TrainingListener
    {
        private final double seconds;
        private final long start;
        private long batches;

        StopAfter(final double seconds, final long start)
        {
            this.seconds = seconds;
            this.start = start;
        }

        @Override
        public void onBatch(final Progress p)
        {
            batches++;
        }

        @Override
        public boolean stopRequested()
        {
            return (System.nanoTime() - start) * 1e-9 >= seconds;
        }
    }
}
