//! The `board` command line: parses arguments and runs the chosen subcommand.

use std::process::ExitCode;

use clap::Parser;

use crate::{
    access::{Author, NewUser, Role, secrets},
    audit::{AuditAction, AuditEvent},
    clock::now_ms,
    config::{Cli, Command, DbArgs, ReviewCommand, TokenCommand, UserCommand},
    demo, fault, review, server,
    store::{self, Directory, StoreOptions},
    telemetry,
};

/// Runs the `board` command with the process's arguments.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    fault::install_panic_hook();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("board: could not start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match cli.command {
        Command::Openapi => match crate::api::openapi_document() {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(err) => {
                eprintln!("board: could not describe the API: {err}");
                ExitCode::FAILURE
            }
        },
        Command::Serve(args) => {
            telemetry::init(args.log_format);
            match runtime.block_on(server::run(*args, shutdown_signal())) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => {
                    tracing::error!("{err}");
                    eprintln!("board: {err}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Review(ReviewCommand::Create {
            title,
            case_ref,
            kind,
            variant,
            db,
        }) => one_off(&runtime, &db, |directory| async move {
            let fields = review::new_review_fields(&title, &case_ref, &kind, &variant);
            if fields.title.is_empty() {
                return Err("give the review a title".to_string());
            }
            if !review::is_one_of(&fields.kind, review::KINDS)
                || !review::is_one_of(&fields.variant, review::VARIANTS)
            {
                return Err(format!("unknown kind {kind:?} or variant {variant:?}"));
            }
            let created = directory
                .create_review(
                    &fields,
                    &review::timeline(&fields.variant),
                    None,
                    |review| {
                        event(
                            &review.id,
                            AuditAction::ReviewCreated,
                            &review.id,
                            review.title.clone(),
                        )
                    },
                )
                .await
                .map_err(|e| e.to_string())?;
            Ok(created.id)
        }),
        Command::Token(TokenCommand::Create {
            review,
            role,
            label,
            expires,
            db,
        }) => one_off(&runtime, &db, |directory| async move {
            let role = Role::parse(&role).ok_or_else(|| {
                format!(
                    "unknown role {role:?}; use one of: {}",
                    Role::ALL.map(Role::as_str).join(", ")
                )
            })?;
            if directory
                .review(&review)
                .await
                .map_err(|e| e.to_string())?
                .is_none()
            {
                return Err(format!("no review has the id {review:?}"));
            }
            let secret = secrets::new_secret("bt");
            let expires_at =
                now_ms().saturating_add(expires.as_millis().min(i64::MAX as u128) as i64);
            directory
                .create_token(
                    &secrets::secret_hash(&secret),
                    &review,
                    role,
                    &label,
                    None,
                    expires_at,
                    |token| {
                        event(
                            &review,
                            AuditAction::TokenCreated,
                            &token.id,
                            format!("{label} as {role}, from the command line"),
                        )
                    },
                )
                .await
                .map_err(|e| e.to_string())?;
            Ok(secret)
        }),
        Command::Demo {
            database_url,
            more_reviews,
        } => {
            let loaded = runtime.block_on(async {
                let store = store::open(&database_url, StoreOptions::default())
                    .await
                    .map_err(|e| {
                        format!(
                            "could not open the database {}: {e}",
                            store::redact_url(&database_url)
                        )
                    })?;
                let loaded = demo::load(store.clone(), more_reviews)
                    .await
                    .map_err(|e| e.to_string());
                store.close().await;
                loaded
            });
            match loaded {
                Ok(loaded) => {
                    println!(
                        "Loaded {}: {} reviews, {} of them published to the findings library.",
                        loaded.partnership, loaded.reviews, loaded.published
                    );
                    println!(
                        "Every demo account's password is {} (start the server with --partnership \"{}\" so reports name it).",
                        loaded.password, loaded.partnership
                    );
                    for (email, who) in &loaded.people {
                        println!("  {email:<40} {who}");
                    }
                    ExitCode::SUCCESS
                }
                Err(err) => {
                    eprintln!("board: {err}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::User(UserCommand::Create {
            email,
            name,
            agency,
            job_title,
            admin,
            db,
        }) => one_off(&runtime, &db, |directory| async move {
            let mut password = String::new();
            std::io::stdin()
                .read_line(&mut password)
                .map_err(|e| format!("could not read the password from stdin: {e}"))?;
            let password = password.trim_end_matches(['\r', '\n']).to_string();
            if !email.contains('@') || name.trim().is_empty() {
                return Err("give an email address and a name".to_string());
            }
            let password_hash = secrets::hash_password(&password).map_err(|e| e.to_string())?;
            let new = NewUser {
                email,
                name: name.trim().to_string(),
                agency,
                job_title,
                password_hash,
                is_admin: admin,
            };
            let action = if admin {
                AuditAction::AdministratorCreated
            } else {
                AuditAction::AccountCreated
            };
            let user = directory
                .create_user(&new, |user| {
                    event("", action, &user.id, "from the command line".into())
                })
                .await
                .map_err(|e| e.to_string())?
                .ok_or("an account with that email already exists")?;
            Ok(user.id)
        }),
    }
}

/// Runs a one-off command against the database and prints its result alone on stdout.
fn one_off<F, Fut>(runtime: &tokio::runtime::Runtime, db: &DbArgs, command: F) -> ExitCode
where
    F: FnOnce(Directory) -> Fut,
    Fut: std::future::Future<Output = Result<String, String>>,
{
    let result = runtime.block_on(async {
        let store = store::open(&db.database_url, StoreOptions::default())
            .await
            .map_err(|e| {
                format!(
                    "could not open the database {}: {e}",
                    store::redact_url(&db.database_url)
                )
            })?;
        let result = command(store.directory()).await;
        store.close().await;
        result
    });
    match result {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("board: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The audit row of a command-line action (stored with the change it records).
fn event(review_id: &str, action: AuditAction, entity: &str, detail: String) -> AuditEvent {
    AuditEvent::action(
        Author {
            kind: "system",
            name: "command line".into(),
            ..Author::default()
        },
        review_id,
        action,
        entity,
        detail,
    )
}

/// Resolves on ctrl-c or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %err, "cannot listen for ctrl-c");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::error!(error = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutdown signal received");
}
