//! The coding engine: parsed sentence plus dictionaries to events.
