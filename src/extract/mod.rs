pub mod dates;
pub mod numbers;
