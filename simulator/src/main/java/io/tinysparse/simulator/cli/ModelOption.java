package io.tinysparse.simulator.cli;

import io.tinysparse.simulator.model.ModelSpec;
import picocli.CommandLine.Option;

/**
 * The {@code --model} option of the commands that fine-tune a backbone ({@code run},
 * {@code search}; {@code @Mixin ModelOption model;}): the network, which picks the default
 * backbone when no {@code --backbone} file is given and must match the file when one is.
 */
public final class ModelOption {
    @Option(names = "--model", paramLabel = "NAME|FILE",
            description = "Network: a model preset (mbv2-w0.35, mbv2-w1.0, mbv2-320kb, mcunet-5fps, proxyless-w0.3) or"
                    + " an OFA/ProxylessNAS config JSON file; without --backbone, its default pretraining from the"
                    + " backbone store (pretrained once); with --backbone, the file must hold that network; a search"
                    + " of another network than mbv2-w0.35 is called default-NAME unless --search-id is given"
                    + " (default: the --backbone file's network, else mbv2-w0.35).")
    String name;

    /** The network named, or null when the option is absent. */
    public ModelSpec spec() {
        return name == null ? null : ModelSpec.named(name);
    }
}
