//! Query strings read as the command line: `?region=Daraa&month=2025-06`
//! is `--region Daraa --month 2025-06`, parsed by the very clap definition
//! of the matching command, so the API takes the same names, checks them
//! the same way and fails with the same messages.

use clap::error::{ContextKind, ContextValue};

use super::reply::ApiError;

/// Parses `query` into a command's flags. `fixed` are flags a client may
/// not give, either because the route sets them (`forced`: `-o -` for a
/// chart) or because they make no sense here; `defaults` are set unless
/// the client gives them.
pub fn parse<T: clap::Args + clap::FromArgMatches>(
    command: &'static str,
    query: Option<&str>,
    fixed: &[&str],
    forced: &[(&str, &str)],
    defaults: &[(&str, &str)],
) -> Result<T, ApiError> {
    let cmd = T::augment_args(clap::Command::new(command).no_binary_name(true));
    let fixed: Vec<&str> = fixed
        .iter()
        .copied()
        .chain(forced.iter().map(|(k, _)| *k))
        .collect();
    let fixed = fixed.as_slice();
    let mut argv: Vec<String> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (key, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        if seen.iter().any(|k| *k == key) {
            return Err(ApiError::bad(
                &key,
                &value,
                "each parameter once",
                format!("parameter {key} is given more than once"),
            ));
        }
        seen.push(key.to_string());
        let arg = cmd
            .get_arguments()
            .find(|a| a.get_long() == Some(&*key) && !fixed.contains(&&*key));
        let Some(arg) = arg else {
            let known = names(&cmd, fixed);
            return Err(ApiError::bad(
                &key,
                &value,
                &format!("one of {}", known.join(", ")),
                format!(
                    "unknown parameter {key:?}: expected one of {}",
                    known.join(", ")
                ),
            ));
        };
        if arg.get_action().takes_values() {
            argv.push(format!("--{key}={value}"));
        } else {
            match &*value {
                "" | "true" | "1" => argv.push(format!("--{key}")),
                "false" | "0" => {}
                _ => {
                    return Err(ApiError::bad(
                        &key,
                        &value,
                        "true or false",
                        format!(
                            "parameter {key} is a switch: expected true or false, not {value:?}"
                        ),
                    ));
                }
            }
        }
    }
    for (key, value) in defaults {
        if !seen.iter().any(|k| k == key) {
            argv.push(format!("--{key}={value}"));
        }
    }
    argv.extend(forced.iter().map(|(k, v)| format!("--{k}={v}")));
    let matches = cmd.try_get_matches_from(argv).map_err(clap_error)?;
    T::from_arg_matches(&matches).map_err(clap_error)
}

/// The parameters a route takes, for the message about an unknown one.
fn names(cmd: &clap::Command, fixed: &[&str]) -> Vec<String> {
    cmd.get_arguments()
        .filter_map(|a| a.get_long())
        .filter(|l| !fixed.contains(l) && *l != "help")
        .map(str::to_string)
        .collect()
}

/// A clap error as the API's: the flag it names becomes the parameter.
fn clap_error(e: clap::Error) -> ApiError {
    let text = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(s)) => Some(s.join(", ")),
        _ => None,
    };
    // "--month <MONTH>" -> "month"
    let parameter = text(ContextKind::InvalidArg).map(|a| {
        a.trim_start_matches('-')
            .split([' ', '='])
            .next()
            .unwrap_or_default()
            .to_string()
    });
    let value = text(ContextKind::InvalidValue);
    // A value clap's parser refused (a number, a switch) has no list of
    // valid values; its reason is what the message says after the flag.
    let expected = text(ContextKind::ValidValue).or_else(|| {
        let rendered = e.render().to_string();
        let first = rendered.lines().next().unwrap_or_default();
        first.rsplit_once("': ").map(|(_, why)| why.to_string())
    });
    // clap's own rendering, first line, without its "error: " and usage.
    let rendered = e.render().to_string();
    let message = rendered
        .lines()
        .next()
        .unwrap_or_default()
        .trim_start_matches("error: ")
        .to_string();
    ApiError::Bad {
        message,
        parameter,
        value,
        expected,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::report;

    fn report(query: &str) -> Result<report::Args, ApiError> {
        parse(
            "report",
            Some(query),
            &["format", "output", "raw"],
            &[],
            &[],
        )
    }

    fn parameter(e: ApiError) -> Option<String> {
        match e {
            ApiError::Bad { parameter, .. } => parameter,
            other => panic!("not a bad parameter: {other:?}"),
        }
    }

    #[test]
    fn a_query_is_read_as_the_command_line() {
        let a = report("region=Dar%27a&month=2025-06&type=Battles&sub-type=Armed+clash").unwrap();
        assert_eq!(a.filter.region.as_deref(), Some("Dar'a"));
        assert_eq!(a.filter.month.as_deref(), Some("2025-06"));
        assert_eq!(a.filter.sub_event_type.as_deref(), Some("Armed clash"));
        // A value that starts with a dash stays a value.
        let a = report("bbox=-10,-5,10,5").unwrap();
        assert_eq!(a.filter.bbox.as_deref(), Some("-10,-5,10,5"));
    }

    #[test]
    fn bad_queries_name_the_parameter() {
        let unknown = report("regoin=Daraa").unwrap_err();
        assert_eq!(parameter(unknown), Some("regoin".into()));
        // A flag the route sets itself is not the client's to give.
        assert_eq!(
            parameter(report("format=csv").unwrap_err()),
            Some("format".into())
        );
        assert_eq!(
            parameter(report("month=2025-06&month=2025-07").unwrap_err()),
            Some("month".into())
        );
        assert_eq!(
            parameter(report("limit=abc").unwrap_err()),
            Some("limit".into())
        );
        // clap's own rules: --month conflicts with --from.
        let e = report("month=2025-06&from=2025-01-01").unwrap_err();
        assert!(parameter(e).is_some());
    }

    #[test]
    fn switches_take_true_or_false() {
        let export = |q: &str| {
            parse::<crate::cli::export::Args>(
                "export",
                Some(q),
                &["output"],
                &[],
                &[("format", "csv")],
            )
        };
        assert!(export("overlapping=true").unwrap().period.overlapping);
        assert!(!export("overlapping=false").unwrap().period.overlapping);
        assert_eq!(
            parameter(export("overlapping=maybe").unwrap_err()),
            Some("overlapping".into())
        );
    }
}
