"""Stance: does one statement corroborate, contradict, discuss, or have nothing to do with another."""
