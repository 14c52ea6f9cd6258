package io.tinysparse.simulator.device;

import io.tinysparse.simulator.model.LayerTable;

/**
 * Whether a training step fits a device: its peak SRAM within the device's SRAM and the model
 * within its Flash.
 *
 * <p>The model's Flash image is counted as int8 convolution weights (1 byte each), int32
 * convolution biases (4 bytes) and a floating-point classifier (4 bytes per weight and bias),
 * as deployed by tiny-training; code and the runtime are not counted.
 *
 * @param peakSramBytes   peak SRAM of one training step, bytes
 * @param sramBytes       the device's SRAM, bytes
 * @param modelFlashBytes the model's Flash image, bytes
 * @param flashBytes      the device's Flash, bytes
 */
public record Feasibility(long peakSramBytes, long sramBytes, long modelFlashBytes, long flashBytes) {

    /** Checks a peak against a device for a model. */
    public static Feasibility check(long peakSramBytes, DeviceProfile device, LayerTable table) {
        return new Feasibility(peakSramBytes, device.sramBytes(), modelFlashBytes(table), device.flashBytes());
    }

    /** The model's Flash image in bytes (see the class comment). */
    public static long modelFlashBytes(LayerTable table) {
        long bytes = 0;
        for (var c : table.convs()) {
            bytes += c.weightCount() + 4 * c.biasCount();
        }
        return bytes + 4 * table.classifier().params();
    }

    /** Peak SRAM within the device's SRAM. */
    public boolean sramFits() {
        return peakSramBytes <= sramBytes;
    }

    /** The model within the device's Flash. */
    public boolean flashFits() {
        return modelFlashBytes <= flashBytes;
    }

    /** Both fit. */
    public boolean feasible() {
        return sramFits() && flashFits();
    }
}
