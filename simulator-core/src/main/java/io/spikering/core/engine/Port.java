package io.spikering.core.engine;

/**
 * The input port of a population a projection delivers into. Every population has {@link #EXCITATORY} (its only
 * port unless it is a LIF population); LIF populations also have {@link #INHIBITORY}, feeding the inhibitory
 * synaptic current. {@link #SIGMA} is the receiving half of Loihi 2's sigma-delta encoding: what arrives there is
 * summed into a running total that is added to the excitatory input every step (Σ_s w·n_s = w·R), and it is the
 * port every projection out of a delta-encoded population ({@link Quantization.Encoder#DELTA}) must use.
 */
public enum Port
{
    EXCITATORY,
    INHIBITORY,
    SIGMA
}
