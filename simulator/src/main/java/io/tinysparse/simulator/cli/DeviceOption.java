package io.tinysparse.simulator.cli;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.device.DeviceProfile;
import java.util.Iterator;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code --device} and {@code --cycles} options ({@code @Mixin DeviceOption device;}): a
 * {@link DeviceProfile} preset with optional cycle-cost overrides, both checked as they are
 * parsed, so that an unknown name or a bad override is bad input (exit 2, naming it) before any
 * work starts. The resulting profile travels in run specs by value, so an override reaches every
 * run and is part of its id.
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

    @Option(names = "--cycles", paramLabel = "KIND.DIR=CYCLES[,...]",
            description = "Override cycles per MAC, e.g. pointwise.backward=2.5 (kinds conv, depthwise, pointwise,"
                    + " linear; directions forward, backward) (default: the device's).")
    void cycles(String overrides) {
        try {
            cycles = overrides;
            profile.withCycles(overrides);
        } catch (InvalidInputException e) {
            throw new ParameterException(command.commandLine(), e.getMessage(), e);
        }
    }

    private String cycles;

    /** The name as given (it is part of a run's spec, and so of its id). */
    public String name() {
        return name;
    }

    /** The preset the name selects, with the {@code --cycles} overrides. */
    public DeviceProfile profile() {
        return profile.withCycles(cycles);
    }

    /** The preset names, for the help. */
    static final class Presets implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return DeviceProfile.presetNameList().iterator();
        }
    }
}
