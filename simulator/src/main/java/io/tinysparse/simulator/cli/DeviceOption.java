package io.tinysparse.simulator.cli;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.device.DeviceProfile;
import java.util.Iterator;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code --device} option ({@code @Mixin DeviceOption device;}): a {@link DeviceProfile}
 * preset, checked as it is parsed, so that an unknown name is bad input (exit 2, naming it)
 * before any work starts.
 */
public final class DeviceOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    private String name = DeviceProfile.DEFAULT;
    private DeviceProfile profile = DeviceProfile.preset(DeviceProfile.DEFAULT);

    @Option(names = "--device", paramLabel = "NAME", defaultValue = DeviceProfile.DEFAULT,
            completionCandidates = Presets.class,
            description = "Device profile, whose SRAM is the hard budget and whose clock and cycle costs give the"
                    + " device time: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    void device(String presetName) {
        try {
            profile = DeviceProfile.preset(presetName);
        } catch (InvalidInputException e) {
            throw new ParameterException(command.commandLine(), e.getMessage(), e);
        }
        name = presetName;
    }

    /** The name as given (it is part of a run's spec, and so of its id). */
    public String name() {
        return name;
    }

    /** The preset the name selects. */
    public DeviceProfile profile() {
        return profile;
    }

    /** The preset names, for the help. */
    static final class Presets implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return DeviceProfile.presetNameList().iterator();
        }
    }
}
