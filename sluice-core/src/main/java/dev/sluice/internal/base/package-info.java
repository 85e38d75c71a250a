/** Checks shared by every part of the implementation: names, partitions. */
package dev.sluice.internal.base;
