package io.tinysparse.search.pareto;

import io.tinysparse.core.InvalidInputException;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Exact hypervolume of a set of minimised objective vectors with respect to a reference point:
 * the Lebesgue measure of the region dominated by the set and bounded by the reference point.
 * Points not strictly better than the reference in every objective contribute nothing.
 *
 * <ul>
 *   <li>2-D: sort by the first objective and sum the strips, O(n log n).</li>
 *   <li>3-D: the dimension-sweep algorithm of Beume, Fonseca, López-Ibáñez, Paquete and Vahrenhold
 *       ("On the complexity of computing the hypervolume indicator", IEEE TEC 13(5), 2009),
 *       O(n log n): sweep the points by the third objective, keep the 2-D non-dominated front
 *       of the points swept so far in a balanced search tree together with its area, update
 *       the area incrementally on each insertion (removing the points the new one dominates),
 *       and add area x slab height between consecutive third-objective values.</li>
 * </ul>
 * Both are exact up to floating-point rounding of the sums.
 */
public final class Hypervolume {
    private Hypervolume() {}

    /** Hypervolume of {@code points} (each of the reference's dimension, 2 or 3). */
    public static double of(double[][] points, double[] reference) {
        return switch (reference.length) {
            case 2 -> of2d(points, reference);
            case 3 -> of3d(points, reference);
            default -> throw new InvalidInputException(
                    "hypervolume supports 2 or 3 objectives, got " + reference.length);
        };
    }

    /** Exact 2-D hypervolume. */
    public static double of2d(double[][] points, double[] reference) {
        double[][] p = inside(points, reference, 2);
        Arrays.sort(p, (a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
        double area = 0;
        double lowestY = reference[1];
        for (double[] q : p) {
            if (q[1] < lowestY) {
                area += (reference[0] - q[0]) * (lowestY - q[1]);
                lowestY = q[1];
            }
        }
        return area;
    }

    /** Exact 3-D hypervolume (Beume et al. 2009 sweep). */
    public static double of3d(double[][] points, double[] reference) {
        double[][] p = inside(points, reference, 3);
        Arrays.sort(p, (a, b) -> Double.compare(a[2], b[2]));
        double rx = reference[0];
        double ry = reference[1];
        // 2-D front of the points swept so far: x ascending, y strictly descending.
        TreeMap<Double, Double> front = new TreeMap<>();
        double area = 0;
        double volume = 0;
        double lastZ = p.length == 0 ? reference[2] : p[0][2];
        for (double[] q : p) {
            volume += area * (q[2] - lastZ);
            lastZ = q[2];
            double x = q[0];
            double y = q[1];
            Map.Entry<Double, Double> floor = front.floorEntry(x);
            if (floor != null && floor.getValue() <= y) {
                continue; // weakly dominated in the projection: adds no area
            }
            Map.Entry<Double, Double> left = front.lowerEntry(x);
            double prevY = left == null ? ry : left.getValue();
            // Points with x >= this x and y >= this y are now dominated: remove them, each
            // taking away its exclusive area between its current neighbours.
            Map.Entry<Double, Double> e = front.ceilingEntry(x);
            while (e != null && e.getValue() >= y) {
                Map.Entry<Double, Double> next = front.higherEntry(e.getKey());
                double nextX = next == null ? rx : next.getKey();
                area -= (nextX - e.getKey()) * (prevY - e.getValue());
                front.remove(e.getKey());
                e = next;
            }
            double nextX = e == null ? rx : e.getKey();
            area += (nextX - x) * (prevY - y);
            front.put(x, y);
        }
        volume += area * (reference[2] - lastZ);
        return volume;
    }

    private static double[][] inside(double[][] points, double[] reference, int dims) {
        return Arrays.stream(points)
                .peek(q -> {
                    if (q.length != dims) {
                        throw new InvalidInputException("point of dimension " + q.length
                                + " for a " + dims + "-D hypervolume");
                    }
                })
                .filter(q -> {
                    for (int k = 0; k < dims; k++) {
                        if (!(q[k] < reference[k])) {
                            return false;
                        }
                    }
                    return true;
                })
                // + 0.0 turns -0.0 into 0.0, which the tree's Double keys would otherwise tell apart.
                .map(q -> Arrays.stream(q).map(v -> v + 0.0).toArray())
                .toArray(double[][]::new);
    }
}
