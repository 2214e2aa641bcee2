//! Which catalog command a name is, and running it: psql 15's
//! `exec_command_d` and friends, letter by letter.

use super::{
    Ctx, Describe, Done, access, comments, details, foreign, functions, objects, opclass,
    relations, source, textsearch, types,
};

/// A catalog command, as psql 15 recognises it from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `\d`, `\dS`, `\d+`: describe a pattern or list relations.
    Describe,
    /// `\dt \di \dv \dm \ds \dE` and their combinations.
    Relations,
    /// `\dP[tin]`.
    Partitioned,
    /// `\da`.
    Aggregates,
    /// `\dA`.
    AccessMethods,
    /// `\dAc`.
    OpClasses,
    /// `\dAf`.
    OpFamilies,
    /// `\dAo`.
    AmOperators,
    /// `\dAp`.
    AmFunctions,
    /// `\db`.
    Tablespaces,
    /// `\dc`.
    Conversions,
    /// `\dconfig`.
    Config,
    /// `\dC`.
    Casts,
    /// `\dd`.
    Comments,
    /// `\ddp`.
    DefaultPrivileges,
    /// `\dD`.
    Domains,
    /// `\df[anptw]`.
    Functions,
    /// `\dg`, `\du`.
    Roles,
    /// `\dl`.
    LargeObjects,
    /// `\dL`.
    Languages,
    /// `\dn`.
    Schemas,
    /// `\do`.
    Operators,
    /// `\dO`.
    Collations,
    /// `\dp`, `\z`.
    Privileges,
    /// `\drds`.
    RoleSettings,
    /// `\dRp`.
    Publications,
    /// `\dRs`.
    Subscriptions,
    /// `\dT`.
    Types,
    /// `\dF`.
    TsConfigs,
    /// `\dFd`.
    TsDictionaries,
    /// `\dFp`.
    TsParsers,
    /// `\dFt`.
    TsTemplates,
    /// `\des`.
    ForeignServers,
    /// `\det`.
    ForeignTables,
    /// `\deu`.
    UserMappings,
    /// `\dew`.
    ForeignWrappers,
    /// `\dx`.
    Extensions,
    /// `\dX`.
    ExtStatistics,
    /// `\dy`.
    EventTriggers,
    /// `\l`, `\list`.
    Databases,
    /// `\sf`.
    FunctionSource,
    /// `\sv`.
    ViewSource,
}

/// Classifies a command name (without its backslash).
fn classify(cmd: &str) -> Option<Kind> {
    let b = cmd.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    match cmd {
        "l" | "l+" | "list" | "list+" => return Some(Kind::Databases),
        "z" => return Some(Kind::Privileges),
        "sf" | "sf+" => return Some(Kind::FunctionSource),
        "sv" | "sv+" => return Some(Kind::ViewSource),
        _ => {}
    }
    if at(0) != b'd' {
        return None;
    }
    let kind = match at(1) {
        0 | b'+' | b'S' => Kind::Describe,
        b'A' => match at(2) {
            0 | b'+' => Kind::AccessMethods,
            b'c' => Kind::OpClasses,
            b'f' => Kind::OpFamilies,
            b'o' => Kind::AmOperators,
            b'p' => Kind::AmFunctions,
            _ => return None,
        },
        b'a' => Kind::Aggregates,
        b'b' => Kind::Tablespaces,
        b'c' if cmd.starts_with("dconfig") => Kind::Config,
        b'c' => Kind::Conversions,
        b'C' => Kind::Casts,
        b'd' if cmd.starts_with("ddp") => Kind::DefaultPrivileges,
        b'd' => Kind::Comments,
        b'D' => Kind::Domains,
        b'f' => match at(2) {
            0 | b'+' | b'S' | b'a' | b'n' | b'p' | b't' | b'w' => Kind::Functions,
            _ => return None,
        },
        b'g' | b'u' => Kind::Roles,
        b'l' => Kind::LargeObjects,
        b'L' => Kind::Languages,
        b'n' => Kind::Schemas,
        b'o' => Kind::Operators,
        b'O' => Kind::Collations,
        b'p' => Kind::Privileges,
        b'P' => match at(2) {
            0 | b'+' | b't' | b'i' | b'n' => Kind::Partitioned,
            _ => return None,
        },
        b'T' => Kind::Types,
        b't' | b'v' | b'm' | b'i' | b's' | b'E' => Kind::Relations,
        b'F' => match at(2) {
            0 | b'+' => Kind::TsConfigs,
            b'p' => Kind::TsParsers,
            b'd' => Kind::TsDictionaries,
            b't' => Kind::TsTemplates,
            _ => return None,
        },
        b'e' => match at(2) {
            b's' => Kind::ForeignServers,
            b'u' => Kind::UserMappings,
            b'w' => Kind::ForeignWrappers,
            b't' => Kind::ForeignTables,
            _ => return None,
        },
        b'x' => Kind::Extensions,
        b'X' => Kind::ExtStatistics,
        b'y' => Kind::EventTriggers,
        b'R' => match at(2) {
            b'p' => Kind::Publications,
            b's' => Kind::Subscriptions,
            _ => return None,
        },
        b'r' if at(2) == b'd' && at(3) == b's' => Kind::RoleSettings,
        _ => return None,
    };
    Some(kind)
}

/// Whether `name` (without the backslash) is a catalog command this module
/// runs: `d…` (every `\d` variant psql 15 has), `l`, `l+`, `sf`, `sf+`,
/// `sv`, `sv+`, `z`, `dp`.
pub fn is_catalog_command(name: &str) -> bool {
    classify(name).is_some()
}

/// How many arguments the command reads (psql reads these with variable
/// interpolation and warns `extra argument "…" ignored` for the rest).
/// `\sf` and `\sv` read the whole rest of the line as one argument.
pub fn max_args(name: &str) -> usize {
    match classify(name) {
        None | Some(Kind::LargeObjects) => 0,
        Some(Kind::Functions) => 101,
        Some(Kind::Operators) => 3,
        Some(
            Kind::OpClasses
            | Kind::OpFamilies
            | Kind::AmOperators
            | Kind::AmFunctions
            | Kind::RoleSettings,
        ) => 2,
        Some(_) => 1,
    }
}

/// Runs `describe`.
pub(super) async fn run(cx: &mut Ctx<'_>, describe: &Describe) -> Done {
    let cmd = describe.command.as_str();
    let Some(kind) = classify(cmd) else {
        return cx.fail(format!("invalid command \\{cmd}"));
    };
    let verbose = cmd.contains('+');
    let system = cmd.contains('S');
    let args = &describe.args;
    let p = args.first().map(String::as_str);
    let p2 = args.get(1).map(String::as_str);
    let rest = cmd.get(1..).unwrap_or("");
    let rest2 = cmd.get(2..).unwrap_or("");
    match kind {
        Kind::Describe => match p {
            Some(p) => details::describe(cx, p, verbose, system).await,
            None => relations::list(cx, "tvmsE", None, verbose, system).await,
        },
        Kind::Relations => relations::list(cx, rest, p, verbose, system).await,
        Kind::Partitioned => relations::partitioned(cx, rest2, p, verbose).await,
        Kind::Aggregates => functions::aggregates(cx, p, verbose, system).await,
        Kind::AccessMethods => opclass::access_methods(cx, p, verbose).await,
        Kind::OpClasses => opclass::opclasses(cx, p, p2, verbose).await,
        Kind::OpFamilies => opclass::opfamilies(cx, p, p2, verbose).await,
        Kind::AmOperators => opclass::am_operators(cx, p, p2, verbose, system).await,
        Kind::AmFunctions => opclass::am_functions(cx, p, p2, verbose).await,
        Kind::Tablespaces => access::tablespaces(cx, p, verbose).await,
        Kind::Conversions => objects::conversions(cx, p, verbose, system).await,
        Kind::Config => objects::config(cx, p, verbose, system).await,
        Kind::Casts => objects::casts(cx, p, verbose).await,
        Kind::Comments => comments::comments(cx, p, system).await,
        Kind::DefaultPrivileges => access::default_privileges(cx, p).await,
        Kind::Domains => types::domains(cx, p, verbose, system).await,
        Kind::Functions => {
            let types: Vec<&str> = args.iter().skip(1).map(String::as_str).collect();
            functions::functions(cx, rest2, p, &types, verbose, system).await
        }
        Kind::Roles => access::roles(cx, p, verbose, system).await,
        Kind::LargeObjects => objects::large_objects(cx, verbose).await,
        Kind::Languages => objects::languages(cx, p, verbose, system).await,
        Kind::Schemas => access::schemas(cx, p, verbose, system).await,
        Kind::Operators => {
            let types: Vec<&str> = args.iter().skip(1).map(String::as_str).collect();
            functions::operators(cx, p, &types, verbose, system).await
        }
        Kind::Collations => objects::collations(cx, p, verbose, system).await,
        Kind::Privileges => access::privileges(cx, p).await,
        Kind::RoleSettings => access::role_settings(cx, p, p2).await,
        Kind::Publications => foreign::publications(cx, p, verbose).await,
        Kind::Subscriptions => foreign::subscriptions(cx, p, verbose).await,
        Kind::Types => types::data_types(cx, p, verbose, system).await,
        Kind::TsConfigs => textsearch::configs(cx, p, verbose).await,
        Kind::TsDictionaries => textsearch::dictionaries(cx, p, verbose).await,
        Kind::TsParsers => textsearch::parsers(cx, p, verbose).await,
        Kind::TsTemplates => textsearch::templates(cx, p, verbose).await,
        Kind::ForeignServers => foreign::servers(cx, p, verbose).await,
        Kind::ForeignTables => foreign::tables(cx, p, verbose).await,
        Kind::UserMappings => foreign::user_mappings(cx, p, verbose).await,
        Kind::ForeignWrappers => foreign::wrappers(cx, p, verbose).await,
        Kind::Extensions => objects::extensions(cx, p, verbose).await,
        Kind::ExtStatistics => objects::ext_statistics(cx, p).await,
        Kind::EventTriggers => objects::event_triggers(cx, p, verbose).await,
        Kind::Databases => access::databases(cx, p, verbose).await,
        Kind::FunctionSource => source::show(cx, p, true, verbose).await,
        Kind::ViewSource => source::show(cx, p, false, verbose).await,
    }
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn accepts_psql_names_and_refuses_others() {
        for ok in [
            "d", "dS+", "dt", "dtS+", "dP", "dPn+", "l", "list+", "z", "sf+", "dconfig",
        ] {
            assert!(is_catalog_command(ok), "{ok}");
        }
        for bad in [
            "z+", "dAS", "dFx", "dex", "dR", "dr", "lS", "l+x", "dPx", "dfx", "x",
        ] {
            assert!(!is_catalog_command(bad), "{bad}");
        }
    }

    #[test]
    fn counts_arguments() {
        assert_eq!(max_args("dt"), 1);
        assert_eq!(max_args("do"), 3);
        assert_eq!(max_args("dAc"), 2);
        assert_eq!(max_args("dl"), 0);
    }
}
