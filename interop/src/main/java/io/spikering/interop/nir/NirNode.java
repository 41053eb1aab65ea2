package io.spikering.interop.nir;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One node of a NIR graph: a record per NIR primitive, with NIR's parameter names in camelCase (v_threshold is
 * {@code vThreshold}). Per-neuron parameters are {@link NirTensor}s of the node's shape: a scalar in the file is
 * broadcast when the record is built. Shapes follow NIR's input_type/output_type; a shape that the file leaves to
 * be inferred from the graph (pooling nodes, Conv without input_shape, Flatten without input_type) is null until
 * {@link NirReader} infers it.
 */
public sealed interface NirNode
{
    /** The type string stored in the file ("LIF", "Conv2d", "NIRGraph", "spikering.SigmaDelta"). */
    String type();

    /** The shape this node receives (a copy), or null while not inferred. */
    int[] inputShape();

    /** The shape this node emits (a copy), or null while not inferred. */
    int[] outputShape();

    /** The numeric parameters by their NIR (file) names, in NIR's order; integer hyper-parameters excluded. */
    Map<String, NirTensor> parameters();

    /** The number of values of {@link #parameters()}. */
    default long parameterCount()
    {
        long n = 0;
        for (final NirTensor t : parameters().values())
        {
            n += t.size();
        }
        return n;
    }

    /** Whether the node emits one-bit spikes (IF, LIF, CubaLIF, Threshold) or integer counts (SigmaDelta). */
    default boolean emitsEvents()
    {
        return false;
    }

    /** Whether the node keeps state from step to step (a cycle through it is legal: it runs with a one-step delay). */
    default boolean stateful()
    {
        return false;
    }

    // ------------------------------------------------------------------ graph boundary

    /** Graph input: {@code shape} is the data one time step feeds in. */
    record Input(int[] shape) implements NirNode
    {
        public Input
        {
            shape = checkShape("Input shape", shape);
        }

        public String type() { return "Input"; }
        public int[] shape() { return shape.clone(); }
        public int[] inputShape() { return shape.clone(); }
        public int[] outputShape() { return shape.clone(); }
        public Map<String, NirTensor> parameters() { return Map.of(); }
        @Override public boolean equals(final Object o) { return o instanceof Input n && Arrays.equals(shape, n.shape); }
        @Override public int hashCode() { return Arrays.hashCode(shape); }
        @Override public String toString() { return "Input" + Arrays.toString(shape); }
    }

    /** Graph output. */
    record Output(int[] shape) implements NirNode
    {
        public Output
        {
            shape = checkShape("Output shape", shape);
        }

        public String type() { return "Output"; }
        public int[] shape() { return shape.clone(); }
        public int[] inputShape() { return shape.clone(); }
        public int[] outputShape() { return shape.clone(); }
        public Map<String, NirTensor> parameters() { return Map.of(); }
        @Override public boolean equals(final Object o) { return o instanceof Output n && Arrays.equals(shape, n.shape); }
        @Override public int hashCode() { return Arrays.hashCode(shape); }
        @Override public String toString() { return "Output" + Arrays.toString(shape); }
    }

    // ------------------------------------------------------------------ linear maps

    /** y = W x + b; weight [out, in], bias [out] (a scalar bias is broadcast). */
    record Affine(NirTensor weight, NirTensor bias) implements NirNode
    {
        public Affine
        {
            checkMatrix("weight", weight);
            bias = Objects.requireNonNull(bias, "bias").broadcastTo(new int[] {weight.dim(0)});
        }

        public String type() { return "Affine"; }
        public int[] inputShape() { return new int[] {weight.dim(1)}; }
        public int[] outputShape() { return new int[] {weight.dim(0)}; }
        public Map<String, NirTensor> parameters() { return params("weight", weight, "bias", bias); }
    }

    /** y = W x; weight [out, in]. */
    record Linear(NirTensor weight) implements NirNode
    {
        public Linear
        {
            checkMatrix("weight", weight);
        }

        public String type() { return "Linear"; }
        public int[] inputShape() { return new int[] {weight.dim(1)}; }
        public int[] outputShape() { return new int[] {weight.dim(0)}; }
        public Map<String, NirTensor> parameters() { return params("weight", weight); }
    }

    /** y = x ⊙ scale. */
    record Scale(NirTensor scale) implements NirNode
    {
        public Scale
        {
            Objects.requireNonNull(scale, "scale");
        }

        public String type() { return "Scale"; }
        public int[] inputShape() { return scale.shape(); }
        public int[] outputShape() { return scale.shape(); }
        public Map<String, NirTensor> parameters() { return params("scale", scale); }
    }

    /** Reshape: dimensions startDim..endDim of the input (no batch dimension) become one; inputType null until inferred. */
    record Flatten(int startDim, int endDim, int[] inputType) implements NirNode
    {
        public Flatten
        {
            if (inputType != null)
            {
                inputType = checkShape("Flatten input_type", inputType);
                Shapes.flatten(inputType, startDim, endDim);
            }
        }

        public String type() { return "Flatten"; }
        public int[] inputType() { return inputType == null ? null : inputType.clone(); }
        public int[] inputShape() { return inputType(); }
        public int[] outputShape() { return inputType == null ? null : Shapes.flatten(inputType, startDim, endDim); }
        public Map<String, NirTensor> parameters() { return Map.of(); }

        /** This node with its input shape set (inferred from the node feeding it). */
        public Flatten withInputType(final int[] shape) { return new Flatten(startDim, endDim, shape); }

        @Override public boolean equals(final Object o)
        {
            return o instanceof Flatten n && startDim == n.startDim && endDim == n.endDim && Arrays.equals(inputType, n.inputType);
        }
        @Override public int hashCode() { return Objects.hash(startDim, endDim, Arrays.hashCode(inputType)); }
        @Override public String toString() { return "Flatten[startDim=" + startDim + ", endDim=" + endDim + ", inputType=" + Shapes.format(inputType) + "]"; }
    }

    /** y(t) = x(t - delay), per element (seconds). */
    record Delay(NirTensor delay) implements NirNode
    {
        public Delay
        {
            Objects.requireNonNull(delay, "delay");
        }

        public String type() { return "Delay"; }
        public int[] inputShape() { return delay.shape(); }
        public int[] outputShape() { return delay.shape(); }
        public Map<String, NirTensor> parameters() { return params("delay", delay); }
        public boolean stateful() { return true; }
    }

    // ------------------------------------------------------------------ neurons

    /** z = 1 if x > threshold else 0 (Heaviside). */
    record Threshold(NirTensor threshold) implements NirNode
    {
        public Threshold
        {
            Objects.requireNonNull(threshold, "threshold");
        }

        public String type() { return "Threshold"; }
        public int[] inputShape() { return threshold.shape(); }
        public int[] outputShape() { return threshold.shape(); }
        public Map<String, NirTensor> parameters() { return params("threshold", threshold); }
        public boolean emitsEvents() { return true; }
    }

    /** Integrator: dv/dt = R I. */
    record I(NirTensor r) implements NirNode
    {
        public I
        {
            Objects.requireNonNull(r, "r");
        }

        public String type() { return "I"; }
        public int[] inputShape() { return r.shape(); }
        public int[] outputShape() { return r.shape(); }
        public Map<String, NirTensor> parameters() { return params("r", r); }
        public boolean stateful() { return true; }
    }

    /** Integrate-and-fire: dv/dt = R I; spike when v > v_threshold, then v = v_reset (0 when the file has none). */
    record IF(NirTensor r, NirTensor vThreshold, NirTensor vReset) implements NirNode
    {
        public IF
        {
            vReset = vReset == null ? NirTensor.scalar(0.0) : vReset;
            final int[] s = Shapes.common("IF", r, vThreshold, vReset);
            r = r.broadcastTo(s);
            vThreshold = vThreshold.broadcastTo(s);
            vReset = vReset.broadcastTo(s);
        }

        public String type() { return "IF"; }
        public int[] inputShape() { return r.shape(); }
        public int[] outputShape() { return r.shape(); }
        public Map<String, NirTensor> parameters() { return params("r", r, "v_threshold", vThreshold, "v_reset", vReset); }
        public boolean emitsEvents() { return true; }
        public boolean stateful() { return true; }
    }

    /** Leaky integrator: tau dv/dt = (v_leak - v) + R I. */
    record LI(NirTensor tau, NirTensor r, NirTensor vLeak) implements NirNode
    {
        public LI
        {
            final int[] s = Shapes.common("LI", tau, r, vLeak);
            tau = tau.broadcastTo(s);
            r = r.broadcastTo(s);
            vLeak = vLeak.broadcastTo(s);
        }

        public String type() { return "LI"; }
        public int[] inputShape() { return tau.shape(); }
        public int[] outputShape() { return tau.shape(); }
        public Map<String, NirTensor> parameters() { return params("tau", tau, "r", r, "v_leak", vLeak); }
        public boolean stateful() { return true; }
    }

    /** Leaky integrate-and-fire: tau dv/dt = (v_leak - v) + R I; spike when v > v_threshold, then v = v_reset. */
    record LIF(NirTensor tau, NirTensor r, NirTensor vLeak, NirTensor vThreshold, NirTensor vReset) implements NirNode
    {
        public LIF
        {
            vReset = vReset == null ? NirTensor.scalar(0.0) : vReset;
            final int[] s = Shapes.common("LIF", tau, r, vLeak, vThreshold, vReset);
            tau = tau.broadcastTo(s);
            r = r.broadcastTo(s);
            vLeak = vLeak.broadcastTo(s);
            vThreshold = vThreshold.broadcastTo(s);
            vReset = vReset.broadcastTo(s);
        }

        public String type() { return "LIF"; }
        public int[] inputShape() { return tau.shape(); }
        public int[] outputShape() { return tau.shape(); }
        public Map<String, NirTensor> parameters()
        {
            return params("tau", tau, "r", r, "v_leak", vLeak, "v_threshold", vThreshold, "v_reset", vReset);
        }
        public boolean emitsEvents() { return true; }
        public boolean stateful() { return true; }
    }

    /** Current-based leaky integrator: tau_syn dI/dt = -I + w_in S; tau_mem dv/dt = (v_leak - v) + R I. */
    record CubaLI(NirTensor tauSyn, NirTensor tauMem, NirTensor r, NirTensor vLeak, NirTensor wIn) implements NirNode
    {
        public CubaLI
        {
            wIn = wIn == null ? NirTensor.scalar(1.0) : wIn;
            final int[] s = Shapes.common("CubaLI", tauSyn, tauMem, r, vLeak, wIn);
            tauSyn = tauSyn.broadcastTo(s);
            tauMem = tauMem.broadcastTo(s);
            r = r.broadcastTo(s);
            vLeak = vLeak.broadcastTo(s);
            wIn = wIn.broadcastTo(s);
        }

        public String type() { return "CubaLI"; }
        public int[] inputShape() { return tauMem.shape(); }
        public int[] outputShape() { return tauMem.shape(); }
        public Map<String, NirTensor> parameters()
        {
            return params("tau_syn", tauSyn, "tau_mem", tauMem, "r", r, "v_leak", vLeak, "w_in", wIn);
        }
        public boolean stateful() { return true; }
    }

    /** CubaLI with a threshold: spike when v > v_threshold, then v = v_reset. */
    record CubaLIF(NirTensor tauSyn, NirTensor tauMem, NirTensor r, NirTensor vLeak, NirTensor vThreshold,
                   NirTensor vReset, NirTensor wIn) implements NirNode
    {
        public CubaLIF
        {
            vReset = vReset == null ? NirTensor.scalar(0.0) : vReset;
            wIn = wIn == null ? NirTensor.scalar(1.0) : wIn;
            final int[] s = Shapes.common("CubaLIF", tauSyn, tauMem, r, vLeak, vThreshold, vReset, wIn);
            tauSyn = tauSyn.broadcastTo(s);
            tauMem = tauMem.broadcastTo(s);
            r = r.broadcastTo(s);
            vLeak = vLeak.broadcastTo(s);
            vThreshold = vThreshold.broadcastTo(s);
            vReset = vReset.broadcastTo(s);
            wIn = wIn.broadcastTo(s);
        }

        public String type() { return "CubaLIF"; }
        public int[] inputShape() { return tauMem.shape(); }
        public int[] outputShape() { return tauMem.shape(); }
        public Map<String, NirTensor> parameters()
        {
            return params("tau_syn", tauSyn, "tau_mem", tauMem, "r", r, "v_leak", vLeak, "v_threshold", vThreshold,
                "v_reset", vReset, "w_in", wIn);
        }
        public boolean emitsEvents() { return true; }
        public boolean stateful() { return true; }
    }

    // ------------------------------------------------------------------ convolution and pooling

    /**
     * 1-D convolution, PyTorch layout and semantics (cross-correlation, channels first): weight [C_out, C_in/groups, K],
     * bias [C_out]; the component inputShape is NIR's input_shape, the spatial length [N] (null until inferred), read
     * back by {@link #spatialInputShape()}, while {@link #inputShape()} is the node's whole input [C_in, N] as for every
     * node. stride, padding and dilation have one value each; a file's padding "valid" is 0 and "same" (stride 1, odd
     * effective kernel) its symmetric equivalent.
     */
    record Conv1d(int[] inputShape, NirTensor weight, int[] stride, int[] padding, int[] dilation, int groups,
                  NirTensor bias) implements NirNode
    {
        public Conv1d
        {
            checkConv("Conv1d", weight, 1, groups);
            stride = checkPositive("stride", Shapes.perDimension("stride", stride, 1));
            padding = checkNonNegative("padding", Shapes.perDimension("padding", padding, 1));
            dilation = checkPositive("dilation", Shapes.perDimension("dilation", dilation, 1));
            bias = Objects.requireNonNull(bias, "bias").broadcastTo(new int[] {weight.dim(0)});
            inputShape = inputShape == null ? null : checkSpatial("Conv1d input_shape", inputShape, 1);
        }

        public String type() { return "Conv1d"; }
        public int[] inputShape()
        {
            return inputShape == null ? null : new int[] {weight.dim(1) * groups, inputShape[0]};
        }
        public int[] outputShape()
        {
            return inputShape == null ? null : new int[] {weight.dim(0),
                Shapes.convOutput(inputShape[0], weight.dim(2), stride[0], padding[0], dilation[0])};
        }
        /** NIR's input_shape: the spatial length (a copy), or null. */
        public int[] spatialInputShape() { return inputShape == null ? null : inputShape.clone(); }
        public int[] stride() { return stride.clone(); }
        public int[] padding() { return padding.clone(); }
        public int[] dilation() { return dilation.clone(); }
        public Map<String, NirTensor> parameters() { return params("weight", weight, "bias", bias); }
        public Conv1d withSpatialInputShape(final int[] shape) { return new Conv1d(shape, weight, stride, padding, dilation, groups, bias); }

        @Override public boolean equals(final Object o)
        {
            return o instanceof Conv1d c && Arrays.equals(inputShape, c.inputShape) && weight.equals(c.weight)
                && Arrays.equals(stride, c.stride) && Arrays.equals(padding, c.padding) && Arrays.equals(dilation, c.dilation)
                && groups == c.groups && bias.equals(c.bias);
        }
        @Override public int hashCode() { return Objects.hash(Arrays.hashCode(inputShape), weight, groups, bias); }
        @Override public String toString()
        {
            return "Conv1d[inputShape=" + Shapes.format(inputShape) + ", weight=" + weight + ", stride=" + Arrays.toString(stride)
                + ", padding=" + Arrays.toString(padding) + ", dilation=" + Arrays.toString(dilation) + ", groups=" + groups + "]";
        }
    }

    /** 2-D convolution as {@link Conv1d}: weight [C_out, C_in/groups, K_h, K_w], inputShape NIR's [H, W]. */
    record Conv2d(int[] inputShape, NirTensor weight, int[] stride, int[] padding, int[] dilation, int groups,
                  NirTensor bias) implements NirNode
    {
        public Conv2d
        {
            checkConv("Conv2d", weight, 2, groups);
            stride = checkPositive("stride", Shapes.perDimension("stride", stride, 2));
            padding = checkNonNegative("padding", Shapes.perDimension("padding", padding, 2));
            dilation = checkPositive("dilation", Shapes.perDimension("dilation", dilation, 2));
            bias = Objects.requireNonNull(bias, "bias").broadcastTo(new int[] {weight.dim(0)});
            inputShape = inputShape == null ? null : checkSpatial("Conv2d input_shape", inputShape, 2);
        }

        public String type() { return "Conv2d"; }
        public int[] inputShape()
        {
            return inputShape == null ? null : new int[] {weight.dim(1) * groups, inputShape[0], inputShape[1]};
        }
        public int[] outputShape()
        {
            return inputShape == null ? null : new int[] {weight.dim(0),
                Shapes.convOutput(inputShape[0], weight.dim(2), stride[0], padding[0], dilation[0]),
                Shapes.convOutput(inputShape[1], weight.dim(3), stride[1], padding[1], dilation[1])};
        }
        /** NIR's input_shape: [H, W] (a copy), or null. */
        public int[] spatialInputShape() { return inputShape == null ? null : inputShape.clone(); }
        public int[] stride() { return stride.clone(); }
        public int[] padding() { return padding.clone(); }
        public int[] dilation() { return dilation.clone(); }
        public Map<String, NirTensor> parameters() { return params("weight", weight, "bias", bias); }
        public Conv2d withSpatialInputShape(final int[] shape) { return new Conv2d(shape, weight, stride, padding, dilation, groups, bias); }

        @Override public boolean equals(final Object o)
        {
            return o instanceof Conv2d c && Arrays.equals(inputShape, c.inputShape) && weight.equals(c.weight)
                && Arrays.equals(stride, c.stride) && Arrays.equals(padding, c.padding) && Arrays.equals(dilation, c.dilation)
                && groups == c.groups && bias.equals(c.bias);
        }
        @Override public int hashCode() { return Objects.hash(Arrays.hashCode(inputShape), weight, groups, bias); }
        @Override public String toString()
        {
            return "Conv2d[inputShape=" + Shapes.format(inputShape) + ", weight=" + weight + ", stride=" + Arrays.toString(stride)
                + ", padding=" + Arrays.toString(padding) + ", dilation=" + Arrays.toString(dilation) + ", groups=" + groups + "]";
        }
    }

    /** Sum over each kernelSize window (zero padding); inputShape [C, H, W] is inferred from the graph (null until then). */
    record SumPool2d(int[] kernelSize, int[] stride, int[] padding, int[] inputShape) implements NirNode
    {
        public SumPool2d
        {
            kernelSize = checkPositive("kernel_size", Shapes.perDimension("kernel_size", kernelSize, 2));
            stride = checkPositive("stride", Shapes.perDimension("stride", stride, 2));
            padding = checkNonNegative("padding", Shapes.perDimension("padding", padding, 2));
            inputShape = inputShape == null ? null : checkSpatial("SumPool2d input", inputShape, 3);
        }

        public String type() { return "SumPool2d"; }
        public int[] kernelSize() { return kernelSize.clone(); }
        public int[] stride() { return stride.clone(); }
        public int[] padding() { return padding.clone(); }
        public int[] inputShape() { return inputShape == null ? null : inputShape.clone(); }
        public int[] outputShape() { return poolOutput(inputShape, kernelSize, stride, padding); }
        public Map<String, NirTensor> parameters() { return Map.of(); }
        public SumPool2d withInputShape(final int[] shape) { return new SumPool2d(kernelSize, stride, padding, shape); }

        @Override public boolean equals(final Object o)
        {
            return o instanceof SumPool2d p && Arrays.equals(kernelSize, p.kernelSize) && Arrays.equals(stride, p.stride)
                && Arrays.equals(padding, p.padding) && Arrays.equals(inputShape, p.inputShape);
        }
        @Override public int hashCode() { return Objects.hash(Arrays.hashCode(kernelSize), Arrays.hashCode(stride), Arrays.hashCode(inputShape)); }
        @Override public String toString()
        {
            return "SumPool2d[kernelSize=" + Arrays.toString(kernelSize) + ", stride=" + Arrays.toString(stride)
                + ", padding=" + Arrays.toString(padding) + ", inputShape=" + Shapes.format(inputShape) + "]";
        }
    }

    /** Mean over each kernelSize window (PyTorch's default: zero padding counted in the divisor K_h·K_w). */
    record AvgPool2d(int[] kernelSize, int[] stride, int[] padding, int[] inputShape) implements NirNode
    {
        public AvgPool2d
        {
            kernelSize = checkPositive("kernel_size", Shapes.perDimension("kernel_size", kernelSize, 2));
            stride = checkPositive("stride", Shapes.perDimension("stride", stride, 2));
            padding = checkNonNegative("padding", Shapes.perDimension("padding", padding, 2));
            inputShape = inputShape == null ? null : checkSpatial("AvgPool2d input", inputShape, 3);
        }

        public String type() { return "AvgPool2d"; }
        public int[] kernelSize() { return kernelSize.clone(); }
        public int[] stride() { return stride.clone(); }
        public int[] padding() { return padding.clone(); }
        public int[] inputShape() { return inputShape == null ? null : inputShape.clone(); }
        public int[] outputShape() { return poolOutput(inputShape, kernelSize, stride, padding); }
        public Map<String, NirTensor> parameters() { return Map.of(); }
        public AvgPool2d withInputShape(final int[] shape) { return new AvgPool2d(kernelSize, stride, padding, shape); }

        @Override public boolean equals(final Object o)
        {
            return o instanceof AvgPool2d p && Arrays.equals(kernelSize, p.kernelSize) && Arrays.equals(stride, p.stride)
                && Arrays.equals(padding, p.padding) && Arrays.equals(inputShape, p.inputShape);
        }
        @Override public int hashCode() { return Objects.hash(Arrays.hashCode(kernelSize), Arrays.hashCode(stride), Arrays.hashCode(inputShape)); }
        @Override public String toString()
        {
            return "AvgPool2d[kernelSize=" + Arrays.toString(kernelSize) + ", stride=" + Arrays.toString(stride)
                + ", padding=" + Arrays.toString(padding) + ", inputShape=" + Shapes.format(inputShape) + "]";
        }
    }

    // ------------------------------------------------------------------ nesting and the extension

    /** A nested NIRGraph; its shapes are those of its single Input and Output node (null when it has several). */
    record Graph(NirGraph graph) implements NirNode
    {
        public Graph
        {
            Objects.requireNonNull(graph, "graph");
        }

        public String type() { return "NIRGraph"; }
        public int[] inputShape() { return single(graph.inputs()); }
        public int[] outputShape() { return single(graph.outputs()); }
        public Map<String, NirTensor> parameters() { return Map.of(); }
        public long parameterCount()
        {
            long n = 0;
            for (final NirNode node : graph.nodes().values())
            {
                n += node.parameterCount();
            }
            return n;
        }

        private static int[] single(final Map<String, ? extends NirNode> boundary)
        {
            return boundary.size() == 1 ? boundary.values().iterator().next().outputShape() : null;
        }
    }

    /**
     * spikering's extension node (type "spikering.SigmaDelta"), the sigma-delta quantizer NIR lacks, per element:
     * {@code v += dt·f(x); n = floor(v); v -= n; y = amplitude·n/dt}, with f the named activation (linear, relu,
     * tanh, sigmoid). dt is the quantizer's gain (dimensionless, not the simulation step); signed says whether counts
     * can be negative (f can be). dt and amplitude have the node's shape.
     */
    record SigmaDelta(String activation, NirTensor dt, NirTensor amplitude, boolean signed) implements NirNode
    {
        /** The type string written to and read from files. */
        public static final String TYPE = "spikering.SigmaDelta";

        public SigmaDelta
        {
            Objects.requireNonNull(activation, "activation");
            final int[] s = Shapes.common(TYPE, dt, amplitude);
            dt = dt.broadcastTo(s);
            amplitude = amplitude.broadcastTo(s);
        }

        public String type() { return TYPE; }
        public int[] inputShape() { return dt.shape(); }
        public int[] outputShape() { return dt.shape(); }
        public Map<String, NirTensor> parameters() { return params("dt", dt, "amplitude", amplitude); }
        public boolean emitsEvents() { return true; }
        public boolean stateful() { return true; }
    }

    // ------------------------------------------------------------------ helpers

    private static Map<String, NirTensor> params(final Object... nameThenTensor)
    {
        final Map<String, NirTensor> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenTensor.length; i += 2)
        {
            m.put((String)nameThenTensor[i], (NirTensor)nameThenTensor[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    private static int[] checkShape(final String what, final int[] shape)
    {
        Objects.requireNonNull(shape, what);
        NirTensor.checkedSize(shape);
        return shape.clone();
    }

    private static int[] checkSpatial(final String what, final int[] shape, final int rank)
    {
        if (shape.length != rank)
        {
            throw new IllegalArgumentException(what + " has rank " + shape.length + ", expected " + rank + ": " + Arrays.toString(shape));
        }
        for (final int d : shape)
        {
            if (d <= 0)
            {
                throw new IllegalArgumentException(what + " must be positive: " + Arrays.toString(shape));
            }
        }
        return checkShape(what, shape);
    }

    private static void checkMatrix(final String name, final NirTensor weight)
    {
        Objects.requireNonNull(weight, name);
        if (weight.rank() != 2)
        {
            throw new IllegalArgumentException(name + " must have rank 2 [out, in], got shape " + Arrays.toString(weight.shape()));
        }
    }

    private static void checkConv(final String type, final NirTensor weight, final int dims, final int groups)
    {
        Objects.requireNonNull(weight, "weight");
        if (weight.rank() != dims + 2)
        {
            throw new IllegalArgumentException("weight must have rank " + (dims + 2) + " [C_out, C_in/groups, kernel...], got shape "
                + Arrays.toString(weight.shape()));
        }
        if (groups < 1 || weight.dim(0) % groups != 0)
        {
            throw new IllegalArgumentException("groups " + groups + " must be positive and divide C_out " + weight.dim(0));
        }
        for (int d = 0; d < dims + 2; d++)
        {
            if (weight.dim(d) == 0)
            {
                throw new IllegalArgumentException("weight has an empty dimension: " + Arrays.toString(weight.shape()));
            }
        }
    }

    private static int[] checkPositive(final String name, final int[] values)
    {
        for (final int v : values)
        {
            if (v <= 0)
            {
                throw new IllegalArgumentException(name + " must be positive: " + Arrays.toString(values));
            }
        }
        return values;
    }

    private static int[] checkNonNegative(final String name, final int[] values)
    {
        for (final int v : values)
        {
            if (v < 0)
            {
                throw new IllegalArgumentException(name + " must not be negative: " + Arrays.toString(values));
            }
        }
        return values;
    }

    private static int[] poolOutput(final int[] in, final int[] kernel, final int[] stride, final int[] padding)
    {
        return in == null ? null : new int[] {in[0],
            Shapes.convOutput(in[1], kernel[0], stride[0], padding[0], 1),
            Shapes.convOutput(in[2], kernel[1], stride[1], padding[1], 1)};
    }
}
