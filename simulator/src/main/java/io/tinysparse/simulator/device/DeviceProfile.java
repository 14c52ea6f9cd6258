package io.tinysparse.simulator.device;

import io.tinysparse.core.InvalidInputException;
import io.tinysparse.simulator.policy.TrainingWork;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A microcontroller as the simulator sees it: SRAM and Flash in bytes, clock in Hz, and the
 * cycles each multiply-accumulate costs.
 *
 * <p>Presets. Memory sizes and clocks are the vendors' datasheet figures. The cycle costs are
 * <b>assumptions</b> (no measurement of ours backs them; override them with
 * {@link #withCycles(String)}): for Cortex-M7 parts, int8 forward kernels at 1.0 cycle/MAC for
 * dense 3 x 3, 0.8 for 1 x 1 (CMSIS-NN/TinyEngine use the dual 16-bit {@code SMLAD}, 2 MACs per
 * instruction, minus load and requantisation overhead), 2.0 for depthwise (little reuse, more
 * loads per MAC), 1.0 for the classifier; floating-point backward kernels at 3.0 / 2.5 / 4.0 /
 * 3.0 (one single-precision FMA per cycle at best, plus loads and the transposed access
 * patterns). Cortex-M4F parts (single-issue, no caches on most): twice the M7 cycles.
 *
 * @param name         preset name
 * @param description  the part and where its figures come from
 * @param sramBytes    SRAM available to one training step's arena, in bytes
 * @param flashBytes   Flash available for the model, in bytes
 * @param clockHz      CPU clock, in Hz
 * @param cyclesPerMac cycles per multiply-accumulate by op kind and direction
 */
public record DeviceProfile(
        String name, String description, long sramBytes, long flashBytes, long clockHz, CycleCosts cyclesPerMac) {

    /** Cortex-M7 defaults (see the class comment). */
    public static final CycleCosts CORTEX_M7 = new CycleCosts(1.0, 2.0, 0.8, 1.0, 3.0, 4.0, 2.5, 3.0);
    /** Cortex-M4F defaults: twice the Cortex-M7 cycles. */
    public static final CycleCosts CORTEX_M4F = new CycleCosts(2.0, 4.0, 1.6, 2.0, 6.0, 8.0, 5.0, 6.0);

    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;
    private static final Map<String, DeviceProfile> PRESETS = new LinkedHashMap<>();

    static {
        add(new DeviceProfile("generic-256kb",
                "the 256 KB SRAM budget of the literature (Lin et al. 2022) on an STM32F746-class Cortex-M7: "
                        + "256 KiB SRAM, 1 MiB Flash, 216 MHz", 256 * KIB, MIB, 216_000_000L, CORTEX_M7));
        add(new DeviceProfile("stm32f746",
                "ST STM32F746 (Cortex-M7, datasheet DS10916): 320 KiB SRAM, 1 MiB Flash, 216 MHz",
                320 * KIB, MIB, 216_000_000L, CORTEX_M7));
        add(new DeviceProfile("stm32h743",
                "ST STM32H743 (Cortex-M7, datasheet DS12110): 512 KiB AXI SRAM, the largest contiguous of its "
                        + "1 MiB of RAM banks, 2 MiB Flash, 480 MHz", 512 * KIB, 2 * MIB, 480_000_000L, CORTEX_M7));
        add(new DeviceProfile("nrf52840",
                "Nordic nRF52840 (Cortex-M4F, product specification v1.x): 256 KiB RAM, 1 MiB Flash, 64 MHz",
                256 * KIB, MIB, 64_000_000L, CORTEX_M4F));
    }

    /** The default profile: {@code generic-256kb}. */
    public static final String DEFAULT = "generic-256kb";

    private static void add(DeviceProfile p) {
        PRESETS.put(p.name(), p);
    }

    public DeviceProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cyclesPerMac, "cyclesPerMac");
        if (sramBytes <= 0) {
            throw new InvalidInputException("sramBytes must be > 0, got " + sramBytes);
        }
        if (flashBytes <= 0) {
            throw new InvalidInputException("flashBytes must be > 0, got " + flashBytes);
        }
        if (clockHz <= 0) {
            throw new InvalidInputException("clockHz must be > 0, got " + clockHz);
        }
    }

    /**
     * A preset by name (case-insensitive).
     *
     * @throws InvalidInputException for an unknown name, listing the known ones
     */
    public static DeviceProfile preset(String name) {
        DeviceProfile p = name == null ? null : PRESETS.get(name.toLowerCase(Locale.ROOT));
        if (p == null) {
            throw new InvalidInputException("unknown device '" + name + "' (known: " + presetNames() + ")");
        }
        return p;
    }

    /** Preset names, default first. */
    public static String presetNames() {
        return String.join(", ", presetNameList());
    }

    /** Preset names, default first, as a list. */
    public static List<String> presetNameList() {
        return List.copyOf(PRESETS.keySet());
    }

    /** This profile with some cycle costs overridden; see {@link CycleCosts#with(String)}. */
    public DeviceProfile withCycles(String overrides) {
        return new DeviceProfile(name, description, sramBytes, flashBytes, clockHz, cyclesPerMac.with(overrides));
    }

    /** Estimated seconds of one training step's MACs at this clock. */
    public double secondsPerStep(TrainingWork work) {
        return cyclesPerMac.cycles(work) / clockHz;
    }
}
