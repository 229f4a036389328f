//! The engine: configuration plus the translator state reused for every module.

use crate::config::Config;
use alloc::rc::Rc;

/// Compiles modules; shared by stores and modules (cheap to clone).
#[derive(Debug, Clone, Default)]
pub struct Engine {
    pub(crate) inner: Rc<EngineInner>,
}

#[derive(Debug, Default)]
pub(crate) struct EngineInner {
    pub(crate) config: Config,
}

impl Engine {
    /// An engine with this configuration.
    pub fn new(config: &Config) -> Self {
        Engine {
            inner: Rc::new(EngineInner {
                config: config.clone(),
            }),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }
}
