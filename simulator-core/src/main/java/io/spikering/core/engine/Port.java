package io.spikering.core.engine;

/**
 * The input port of a population a projection delivers into. Every population has {@link #EXCITATORY} (its only
 * port unless it is a LIF population); LIF populations also have {@link #INHIBITORY}, feeding the inhibitory
 * synaptic current.
 */
public enum Port
{
    EXCITATORY,
    INHIBITORY
}
