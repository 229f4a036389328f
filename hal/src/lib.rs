//! Ember HAL.
#![no_std]
