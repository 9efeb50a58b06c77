/**
 * Embedded demo upstreams (product, pricing, inventory, reviews, catalog) with faults switchable at
 * run time, so the gateway can be shown and tested without real services. Start at {@link
 * dev.medley.demo.DemoUpstreams}.
 */
package dev.medley.demo;
