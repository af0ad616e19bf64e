"""Stance: does one statement corroborate, contradict, discuss, or not bear on another."""
