//! `chronicle init`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use serde_json::json;

use super::{shown, Format, OutputArgs};

/// Create a new site, ready to build: site.toml, the three registries
/// and an example article, each with one commented example, and the
/// default theme in themes/default/.
///
/// Refuses a directory that is not empty (hidden entries such as .git
/// aside) unless --force; no file that exists is ever replaced.
#[derive(Args, Debug)]
pub struct InitArgs {
    /// The new site's directory, created if missing.
    #[arg(value_name = "DIR", default_value = ".")]
    dir: PathBuf,
    /// Write into a directory that is not empty; files that exist are kept.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    output: OutputArgs,
}

pub fn run(args: InitArgs) -> ExitCode {
    let dir = &args.dir;
    let report = match chronicle::scaffold::init(dir, args.force) {
        Ok(report) => report,
        Err(e) => return super::new::fail(&e, Path::new("."), &args.output),
    };
    let rel = |p: &Path| shown(&dir.join(p));
    if args.output.format == Format::Json {
        super::print_json_summary(json!({
            "command": "init",
            "written": report.written.iter().map(|p| rel(p)).collect::<Vec<_>>(),
            "kept": report.kept.iter().map(|p| rel(p)).collect::<Vec<_>>(),
        }));
        return ExitCode::SUCCESS;
    }
    if args.output.quiet {
        return ExitCode::SUCCESS;
    }
    let mut out = String::new();
    let theme = Path::new("themes/default");
    let mut theme_files = 0;
    for path in &report.written {
        if path.starts_with(theme) {
            theme_files += 1;
        } else {
            out.push_str(&format!("wrote {}\n", rel(path)));
        }
    }
    if theme_files > 0 {
        out.push_str(&format!(
            "wrote {} ({theme_files} files of the default theme)\n",
            rel(theme)
        ));
    }
    for path in &report.kept {
        out.push_str(&format!("kept  {} (it exists)\n", rel(path)));
    }
    let cd = if dir == Path::new(".") || dir.as_os_str().is_empty() {
        String::new()
    } else {
        format!("  cd {}\n", shown(dir))
    };
    out.push_str(&format!(
        "\nA new site, with an example article, actor, topic and thread. Next:\n\
         {cd}  chronicle build    # writes the site into public/\n\
         \x20 chronicle serve    # serves it while you edit, reloading pages\n\
         Edit site.toml first; add articles with `chronicle new article PATH`.\n"
    ));
    print!("{out}");
    ExitCode::SUCCESS
}
