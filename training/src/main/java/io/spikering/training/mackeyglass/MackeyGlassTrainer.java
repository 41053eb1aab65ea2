package io.spikering.training.mackeyglass;

import io.spikering.neuron.FdlibmTanh;
import io.spikering.core.stream.LmuPredictor;
import io.spikering.neuron.Activation;
import io.spikering.neuron.LegendreMemory;
import io.spikering.neuron.CountQuantizer;
import io.spikering.neuron.DeltaQuantizer;
import io.spikering.neuron.SigmaDeltaQuantizer;
import io.spikering.training.Adam;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains an {@link LmuPredictor} for one-step-ahead prediction of a scalar series (docs/mackey-glass.md).
 * The memory (Ā, B̄ of a ZOH Legendre memory) is fixed, so its states over the training series are computed once;
 * the hidden layer has no recurrence, so training is a per-step regression: random tanh features with a ridge
 * readout, then full-batch Adam on all weights, then spiking-aware fine-tuning (sigma-delta quantizer in the
 * forward pass with its voltages carried along the sequence, straight-through gradient f'(a)) and a final ridge
 * re-fit of the readout on the quantized hidden outputs.
 */
public final class MackeyGlassTrainer
{
    /** Hyperparameters (defaults chosen on validation segments, docs/mackey-glass.md). */
    public record Config(int order, double theta, int hidden, boolean quantized, double dt, double amplitude, long seed,
        double ridge, int epochs, int spikingEpochs, double learningRate, double initGain, double noise, int copies, int fanIn, double delayMin, double delayMax)
    {
        public Config
        {
            if (order < 1 || order > 256 || hidden < 1 || hidden > 4096 || !(theta > 0) || !(dt > 0) || !(amplitude > 0) ||
                !(ridge >= 0) || epochs < 0 || spikingEpochs < 0 || !(learningRate > 0) || !(initGain > 0) || !(noise >= 0) || copies < 1 || fanIn < 0 || delayMin < 0 || delayMax > theta || delayMin > delayMax)
            {
                throw new IllegalArgumentException("invalid Mackey-Glass training config " + this);
            }
        }

        public static Config defaults()
        {
            return new Config(16, 24.0, 64, true, 32.0, 1.0, 1L, 1e-7, 3000, 600, 2e-3, 1.0, 0.0, 1, 0, 0, 0);
        }

        public Config withSeed(final long s)
        {
            return new Config(order, theta, hidden, quantized, dt, amplitude, s, ridge, epochs, spikingEpochs, learningRate, initGain, noise, copies, fanIn, delayMin, delayMax);
        }
    }

    private final Config c;
    private double deltaThreshold = Double.NaN;
    /** Tap basis (null = Legendre basis): memory component k holds the memory's decoding of u(t − taps[k]). */
    private double[] taps;
    private int tapFanIn = 1;
    private double tapSpread;
    private boolean tapAdjacent;
    private final int d;
    private final int h;
    private final float[] aF;
    private final float[] bF;
    // parameters (double while training; rounded to float on export)
    private final double[] wm;
    private final double[] wx;
    private final double[] bh;
    private final double[] wo;
    private final double[] vm;
    private double vx;
    private double bo;

    public MackeyGlassTrainer(final Config config)
    {
        this.c = config;
        this.d = config.order();
        this.h = config.hidden();
        final LegendreMemory lmu = LegendreMemory.zoh(d, config.theta());
        aF = new float[d * d];
        bF = new float[d];
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                aF[i * d + j] = (float)lmu.a()[i][j];
            }
            bF[i] = (float)lmu.b()[i];
        }
        wm = new double[d * h];
        wx = new double[h];
        bh = new double[h];
        wo = new double[h];
        vm = new double[d];
    }

    /** Trains on {@code series[0..trainPoints]} (inputs 0..trainPoints−1, targets 1..trainPoints). */
    public LmuPredictor train(final double[] series, final int trainPoints, final Map<String, String> provenance)
    {
        final int n = trainPoints;
        if (series.length < n + 1 || n < 10)
        {
            throw new IllegalArgumentException("need at least trainPoints + 1 = " + (n + 1) + " points, got " + series.length);
        }
        // copies of the training inputs with Gaussian noise (copy 0 clean): the targets stay clean, so the model
        // learns to pull perturbed inputs back towards the attractor, which keeps the autonomous loop stable
        final int copies = c.copies();
        final double[][] mem = new double[n * copies][];
        final double[] u = new double[n * copies];
        final double[] y = new double[n * copies];
        final SplittableRandom noise = new SplittableRandom(c.seed() ^ 0x5DEECE66DL);
        final double[] noisy = new double[n];
        for (int k = 0; k < copies; k++)
        {
            for (int t = 0; t < n; t++)
            {
                noisy[t] = series[t] + (k == 0 ? 0.0 : c.noise() * gaussian(noise));
            }
            final double[][] states = memoryStates(noisy, n);
            for (int t = 0; t < n; t++)
            {
                mem[k * n + t] = states[t];
                u[k * n + t] = noisy[t];
                y[k * n + t] = series[t + 1];
            }
        }
        initHidden(mem, u);
        final double[][] hid = new double[n * copies][h];
        hiddenActivations(mem, u, hid, null);
        fitReadout(mem, u, hid, y);
        final Adam adam = new Adam(d * h + h + h + h + d + 2);
        for (int e = 0; e < c.epochs(); e++)
        {
            gradientStep(mem, u, y, adam, false);
        }
        if (c.quantized())
        {
            for (int e = 0; e < c.spikingEpochs(); e++)
            {
                gradientStep(mem, u, y, adam, true);
            }
            hiddenActivations(mem, u, hid, newQuantizer());
        }
        else
        {
            hiddenActivations(mem, u, hid, null);
        }
        fitReadout(mem, u, hid, y);
        return export(provenance);
    }

    /** Quantizes the hidden layer with Loihi 2's delta encoder at this threshold (counts) instead of the paper's rule. */
    public MackeyGlassTrainer delta(final double threshold)
    {
        if (!(threshold >= 0) || Double.isInfinite(threshold) || !c.quantized())
        {
            throw new IllegalArgumentException("a delta encoder needs a quantized hidden layer (--quantizer-dt > 0) and a threshold >= 0, got "
                + threshold);
        }
        deltaThreshold = threshold;
        return this;
    }

    /**
     * Expresses the memory in a tap basis: m' = T m with T[k][i] = P̃_i(taps[k]/θ), so component k of the state is the
     * memory's decoding of u(t − taps[k]) (the same linear system: Ā' = T Ā T⁻¹, B̄' = T B̄). Delay encoders then
     * read {@code fanIn} taps within [delayMin, delayMax] (1 or 2 non-zero weights per unit instead of d).
     */
    public MackeyGlassTrainer taps(final double[] delays, final int fanIn)
    {
        if (delays.length != d)
        {
            throw new IllegalArgumentException("--taps needs exactly --order = " + d + " delays, got " + delays.length);
        }
        if (fanIn < 1 || fanIn > d)
        {
            throw new IllegalArgumentException("--tap-fan-in must be in [1, --order = " + d + "], got " + fanIn);
        }
        if (!(c.delayMax() > 0))
        {
            throw new IllegalArgumentException("--taps needs delay encoders (--delay-max > 0)");
        }
        int inRange = 0;
        for (int k = 0; k < d; k++)
        {
            if (!(delays[k] >= 0 && delays[k] <= c.theta()))
            {
                throw new IllegalArgumentException("--taps: delay " + delays[k] + " is outside [0, theta = " + c.theta() + "]");
            }
            for (int l = 0; l < k; l++)
            {
                if (delays[l] == delays[k])
                {
                    throw new IllegalArgumentException("--taps: delay " + delays[k] + " given twice; the delays must be distinct");
                }
            }
            inRange += delays[k] >= c.delayMin() && delays[k] <= c.delayMax() ? 1 : 0;
        }
        if (inRange < fanIn)
        {
            throw new IllegalArgumentException("--taps: " + inRange + " delays in [--delay-min, --delay-max] = [" + c.delayMin() + ", " +
                c.delayMax() + "], need at least --tap-fan-in = " + fanIn);
        }
        final double[][] t = new double[d][d];
        for (int k = 0; k < d; k++)
        {
            for (int i = 0; i < d; i++)
            {
                t[k][i] = io.spikering.neuron.ShiftedLegendre.value(i, delays[k] / c.theta());
            }
        }
        final double[][] inv = inverse(t);
        final LegendreMemory lmu = LegendreMemory.zoh(d, c.theta());
        final double[][] a = lmu.a();
        for (int k = 0; k < d; k++)
        {
            double bk = 0;
            for (int i = 0; i < d; i++)
            {
                bk += t[k][i] * lmu.b()[i];
            }
            bF[k] = (float)bk;
            for (int l = 0; l < d; l++)
            {
                double s = 0;
                for (int i = 0; i < d; i++)
                {
                    double ai = 0;
                    for (int j = 0; j < d; j++)
                    {
                        ai += a[i][j] * inv[j][l];
                    }
                    s += t[k][i] * ai;
                }
                aF[k * d + l] = (float)s;
            }
        }
        taps = delays.clone();
        tapFanIn = fanIn;
        return this;
    }

    /**
     * Two-tap units read α·u(t − φ_a) + (1 − α)·u(t − φ_b) with α uniform in [−spread, 1 + spread]: 0 = interpolation
     * between the two delays only, larger = also differences of delayed values.
     */
    public MackeyGlassTrainer tapSpread(final double spread)
    {
        if (!(spread >= 0 && spread <= 10))
        {
            throw new IllegalArgumentException("--tap-spread must be in [0, 10], got " + spread);
        }
        tapSpread = spread;
        return this;
    }

    /** Two-tap units read two taps adjacent in delay (an interpolated delay) instead of any two in range. */
    public MackeyGlassTrainer tapAdjacent(final boolean adjacent)
    {
        tapAdjacent = adjacent;
        return this;
    }

    /** Gauss-Jordan inverse with partial pivoting; fails on a (numerically) singular matrix. */
    private static double[][] inverse(final double[][] m)
    {
        final int n = m.length;
        final double[][] w = new double[n][2 * n];
        for (int i = 0; i < n; i++)
        {
            System.arraycopy(m[i], 0, w[i], 0, n);
            w[i][n + i] = 1;
        }
        for (int col = 0; col < n; col++)
        {
            int piv = col;
            for (int r = col + 1; r < n; r++)
            {
                piv = Math.abs(w[r][col]) > Math.abs(w[piv][col]) ? r : piv;
            }
            if (Math.abs(w[piv][col]) < 1e-12)
            {
                throw new IllegalArgumentException("--taps: the tap matrix is singular; give distinct delays spread over [0, theta]");
            }
            final double[] tmp = w[piv];
            w[piv] = w[col];
            w[col] = tmp;
            final double p = w[col][col];
            for (int j = 0; j < 2 * n; j++)
            {
                w[col][j] /= p;
            }
            for (int r = 0; r < n; r++)
            {
                if (r != col && w[r][col] != 0)
                {
                    final double f = w[r][col];
                    for (int j = 0; j < 2 * n; j++)
                    {
                        w[r][j] -= f * w[col][j];
                    }
                }
            }
        }
        final double[][] out = new double[n][n];
        for (int i = 0; i < n; i++)
        {
            System.arraycopy(w[i], n, out[i], 0, n);
        }
        return out;
    }

    private CountQuantizer newQuantizer()
    {
        return Double.isNaN(deltaThreshold) ? new SigmaDeltaQuantizer(h, Activation.TANH, c.dt(), c.amplitude(), c.seed()) :
            new DeltaQuantizer(h, Activation.TANH, c.dt(), c.amplitude(), deltaThreshold);
    }

    /** Teacher-forced memory states with the float-rounded Ā, B̄ (the same values the engine uses). */
    private double[][] memoryStates(final double[] series, final int n)
    {
        final double[][] mem = new double[n][d];
        final double[] m = new double[d];
        final double[] next = new double[d];
        for (int t = 0; t < n; t++)
        {
            for (int i = 0; i < d; i++)
            {
                double s = 0;
                for (int j = 0; j < d; j++)
                {
                    s += aF[i * d + j] * m[j];
                }
                next[i] = s + bF[i] * series[t];
            }
            System.arraycopy(next, 0, m, 0, d);
            System.arraycopy(m, 0, mem[t], 0, d);
        }
        return mem;
    }

    /** Random encoders scaled by the feature spread, biases placing each unit's tanh over the data. */
    private void initHidden(final double[][] mem, final double[] u)
    {
        if (c.delayMax() > 0)
        {
            initDelayEncoders(u);
            return;
        }
        final int n = u.length;
        final double[] mean = new double[d + 1];
        final double[] sd = new double[d + 1];
        for (int t = 0; t < n; t++)
        {
            for (int i = 0; i < d; i++)
            {
                mean[i] += mem[t][i] / n;
            }
            mean[d] += u[t] / n;
        }
        for (int t = 0; t < n; t++)
        {
            for (int i = 0; i < d; i++)
            {
                sd[i] += (mem[t][i] - mean[i]) * (mem[t][i] - mean[i]) / n;
            }
            sd[d] += (u[t] - mean[d]) * (u[t] - mean[d]) / n;
        }
        final SplittableRandom random = new SplittableRandom(c.seed() * 0x9E3779B97F4A7C15L + 17);
        final int fan = c.fanIn() == 0 ? d + 1 : Math.min(c.fanIn(), d + 1);
        final double g = c.initGain() / Math.sqrt(fan);
        final int[] pick = new int[d + 1];
        for (int j = 0; j < h; j++)
        {
            // each unit sees `fan` of the d + 1 features (memory and input), the rest of its weights are 0
            for (int i = 0; i <= d; i++)
            {
                pick[i] = i;
            }
            for (int i = 0; i < fan; i++)
            {
                final int r = i + random.nextInt(d + 1 - i);
                final int tmp = pick[i];
                pick[i] = pick[r];
                pick[r] = tmp;
            }
            final boolean[] used = new boolean[d + 1];
            for (int i = 0; i < fan; i++)
            {
                used[pick[i]] = true;
            }
            double shift = 0;
            for (int i = 0; i <= d; i++)
            {
                final double w = used[i] ? gaussian(random) * g / Math.max(Math.sqrt(sd[i]), 1e-6) : 0.0;
                if (i < d)
                {
                    wm[i * h + j] = w;
                }
                else
                {
                    wx[j] = w;
                }
                shift += w * mean[i];
            }
            bh[j] = -shift + (random.nextDouble() * 2 - 1) * 0.5;
        }
    }

    /**
     * Delay encoders: unit j reads the memory's decoding of the input φ_j steps back (φ_j uniform in
     * [delayMin, delayMax]; u(t − φ) ≈ Σ_i P̃_i(φ/θ) m_i), so h_j = tanh(g_j (u(t − φ_j) − c_j)) with a random gain
     * (either sign) and a threshold c_j inside the data range: a basis for the Mackey-Glass map, which adds a
     * linear term in x(t) to an integral of a one-dimensional nonlinearity of the delayed signal.
     */
    private void initDelayEncoders(final double[] u)
    {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double mean = 0;
        for (final double v : u)
        {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
            mean += v / u.length;
        }
        double var = 0;
        for (final double v : u)
        {
            var += (v - mean) * (v - mean) / u.length;
        }
        final double sd = Math.max(Math.sqrt(var), 1e-6);
        final SplittableRandom random = new SplittableRandom(c.seed() * 0x9E3779B97F4A7C15L + 29);
        for (int j = 0; j < h; j++)
        {
            final double phi = c.delayMin() + random.nextDouble() * (c.delayMax() - c.delayMin());
            final double gain = (random.nextBoolean() ? 1 : -1) * c.initGain() * (0.5 + 2.5 * random.nextDouble()) / sd;
            final double threshold = lo + random.nextDouble() * (hi - lo);
            if (taps != null)
            {
                tapEncoder(j, random, gain);
                wx[j] = 0.0;
                bh[j] = -gain * threshold;
                continue;
            }
            for (int i = 0; i < d; i++)
            {
                wm[i * h + j] = gain * io.spikering.neuron.ShiftedLegendre.value(i, phi / c.theta());
            }
            wx[j] = 0.0;
            bh[j] = -gain * threshold;
        }
    }

    /** Unit j reads one tap in [delayMin, delayMax], or a combination of two ({@link #tapSpread}). */
    private void tapEncoder(final int j, final SplittableRandom random, final double gain)
    {
        final int[] in = new int[d];
        int n = 0;
        for (int k = 0; k < d; k++)
        {
            if (taps[k] >= c.delayMin() && taps[k] <= c.delayMax())
            {
                in[n++] = k;
            }
        }
        for (int i = 0; i < d; i++)
        {
            wm[i * h + j] = 0.0;
        }
        if (tapAdjacent && tapFanIn == 2)
        {
            // in[] by ascending delay (insertion sort, n <= d)
            for (int a = 1; a < n; a++)
            {
                for (int b = a; b > 0 && taps[in[b]] < taps[in[b - 1]]; b--)
                {
                    final int tmp = in[b];
                    in[b] = in[b - 1];
                    in[b - 1] = tmp;
                }
            }
        }
        final int pick = random.nextInt(tapAdjacent && tapFanIn == 2 ? n - 1 : n);
        final int first = in[pick];
        if (tapFanIn == 1)
        {
            wm[first * h + j] = gain;
            return;
        }
        if (tapFanIn > 2)
        {
            // fanIn distinct taps in range (partial Fisher-Yates), convex weights
            double total = 0;
            final double[] w = new double[tapFanIn];
            for (int i = 0; i < tapFanIn; i++)
            {
                final int r = i + random.nextInt(n - i);
                final int tmp = in[i];
                in[i] = in[r];
                in[r] = tmp;
                w[i] = random.nextDouble();
                total += w[i];
            }
            for (int i = 0; i < tapFanIn; i++)
            {
                wm[in[i] * h + j] = gain * w[i] / total;
            }
            return;
        }
        int second = tapAdjacent ? in[pick + 1] : in[random.nextInt(n - 1)];
        second = !tapAdjacent && second == first ? in[n - 1] : second;
        final double alpha = -tapSpread + random.nextDouble() * (1 + 2 * tapSpread);
        wm[first * h + j] = gain * alpha;
        wm[second * h + j] = gain * (1 - alpha);
    }

    private static double gaussian(final SplittableRandom r)
    {
        double u1;
        do
        {
            u1 = r.nextDouble();
        }
        while (u1 <= 0);
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    private void preActivation(final double[] m, final double u, final double[] a)
    {
        for (int j = 0; j < h; j++)
        {
            a[j] = u * wx[j] + bh[j];
        }
        for (int i = 0; i < d; i++)
        {
            final double mi = m[i];
            for (int j = 0; j < h; j++)
            {
                a[j] += mi * wm[i * h + j];
            }
        }
    }

    /**
     * Hidden outputs over the sequence: tanh, or the quantizer's output with its state carried from step to step (count·scale
     * for the paper's rule, what the summing receivers hold for the delta encoder).
     */
    private void hiddenActivations(final double[][] mem, final double[] u, final double[][] hid, final CountQuantizer q)
    {
        final double[] a = new double[h];
        for (int t = 0; t < u.length; t++)
        {
            preActivation(mem[t], u[t], a);
            if (q == null)
            {
                for (int j = 0; j < h; j++)
                {
                    hid[t][j] = FdlibmTanh.tanh(a[j]);
                }
            }
            else
            {
                q.forward(a, hid[t]);
            }
        }
    }

    private void fitReadout(final double[][] mem, final double[] u, final double[][] hid, final double[] y)
    {
        final int n = u.length;
        final double[][] x = new double[n][h + d + 1];
        for (int t = 0; t < n; t++)
        {
            System.arraycopy(hid[t], 0, x[t], 0, h);
            System.arraycopy(mem[t], 0, x[t], h, d);
            x[t][h + d] = u[t];
        }
        final double[] w = Ridge.fit(x, y, c.ridge());
        System.arraycopy(w, 0, wo, 0, h);
        System.arraycopy(w, h, vm, 0, d);
        vx = w[h + d];
        bo = w[h + d + 1];
    }

    /** One full-batch Adam step on the mean squared one-step error; spiking = quantized forward, straight-through backward. */
    private void gradientStep(final double[][] mem, final double[] u, final double[] y, final Adam adam, final boolean spiking)
    {
        final int n = u.length;
        final double[] gWm = new double[d * h];
        final double[] gWx = new double[h];
        final double[] gBh = new double[h];
        final double[] gWo = new double[h];
        final double[] gVm = new double[d];
        double gVx = 0;
        double gBo = 0;
        final double[] a = new double[h];
        final double[] act = new double[h];
        final double[] delta = new double[h];
        final CountQuantizer q = spiking ? newQuantizer() : null;
        for (int t = 0; t < n; t++)
        {
            final double[] m = mem[t];
            preActivation(m, u[t], a);
            if (q != null)
            {
                q.forward(a, act);
            }
            else
            {
                for (int j = 0; j < h; j++)
                {
                    act[j] = FdlibmTanh.tanh(a[j]);
                }
            }
            double p = bo + vx * u[t];
            for (int i = 0; i < d; i++)
            {
                p += vm[i] * m[i];
            }
            for (int j = 0; j < h; j++)
            {
                p += wo[j] * act[j];
            }
            final double e = 2.0 * (p - y[t]) / n;
            gBo += e;
            gVx += e * u[t];
            for (int i = 0; i < d; i++)
            {
                gVm[i] += e * m[i];
            }
            for (int j = 0; j < h; j++)
            {
                gWo[j] += e * act[j];
                final double th = FdlibmTanh.tanh(a[j]);
                delta[j] = e * wo[j] * (1 - th * th);
                gBh[j] += delta[j];
                gWx[j] += wx[j] != 0.0 ? delta[j] * u[t] : 0.0;
            }
            for (int i = 0; i < d; i++)
            {
                final double mi = m[i];
                final int base = i * h;
                for (int j = 0; j < h; j++)
                {
                    if (wm[base + j] != 0.0)
                    {
                        gWm[base + j] += delta[j] * mi; // pruned (zero) encoder weights stay zero
                    }
                }
            }
        }
        final float[] params = pack(wm, wx, bh, wo, vm, vx, bo);
        final float[] grads = pack(gWm, gWx, gBh, gWo, gVm, gVx, gBo);
        adam.update(params, grads, 1f, c.learningRate());
        unpack(params);
    }

    private static float[] pack(final double[] a1, final double[] a2, final double[] a3, final double[] a4, final double[] a5,
        final double s1, final double s2)
    {
        final float[] out = new float[a1.length + a2.length + a3.length + a4.length + a5.length + 2];
        int k = 0;
        for (final double[] arr : new double[][] {a1, a2, a3, a4, a5})
        {
            for (final double v : arr)
            {
                out[k++] = (float)v;
            }
        }
        out[k++] = (float)s1;
        out[k] = (float)s2;
        return out;
    }

    private void unpack(final float[] p)
    {
        int k = 0;
        for (final double[] arr : new double[][] {wm, wx, bh, wo, vm})
        {
            for (int i = 0; i < arr.length; i++)
            {
                arr[i] = p[k++];
            }
        }
        vx = p[k++];
        bo = p[k];
    }

    private LmuPredictor export(final Map<String, String> provenance)
    {
        final Map<String, float[]> t = new LinkedHashMap<>();
        t.put(LmuPredictor.MEMORY_A, aF.clone());
        t.put(LmuPredictor.MEMORY_B, bF.clone());
        t.put(LmuPredictor.HIDDEN_MEMORY_KERNEL, floats(wm));
        t.put(LmuPredictor.HIDDEN_INPUT_KERNEL, floats(wx));
        t.put(LmuPredictor.HIDDEN_BIAS, floats(bh));
        t.put(LmuPredictor.READOUT_HIDDEN_KERNEL, floats(wo));
        t.put(LmuPredictor.READOUT_MEMORY_KERNEL, floats(vm));
        t.put(LmuPredictor.READOUT_INPUT_KERNEL, new float[] {(float)vx});
        t.put(LmuPredictor.READOUT_BIAS, new float[] {(float)bo});
        return new LmuPredictor(d, c.theta(), h, 1, Activation.TANH, c.quantized(), c.dt(), c.amplitude(), c.seed(), true, t,
            provenance, deltaThreshold);
    }

    private static float[] floats(final double[] a)
    {
        final float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++)
        {
            f[i] = (float)a[i];
        }
        return f;
    }
}
