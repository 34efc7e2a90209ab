//! Cost sharing (Finanzierungsschlüssel): budgets, subsidies, allocation keys, savings.
