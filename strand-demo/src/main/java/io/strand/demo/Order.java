package io.strand.demo;

import java.util.List;

/**
 * A customer's checkout as it flows through the shop.
 *
 * @param skus one entry per cart line
 * @param total amount in {@code currency}
 */
record Order(String id, String userId, List<String> skus, double total, String currency) {}
