//! Mutual TLS between the nodes of a cluster, when configured: each node has a
//! certificate signed by the cluster's own certificate authority, serves `/internal/*`
//! on a listener of its own that accepts only clients with such a certificate, and
//! presents its certificate when it relays to another node.

use std::{path::Path, sync::Arc};

#[allow(deprecated)]
use rustls::crypto::ring::default_provider;
use rustls::{ClientConfig, RootCertStore, ServerConfig, server::WebPkiClientVerifier};
use rustls_pki_types::{CertificateDer, PrivateKeyDer, pem::PemObject};

/// The node's TLS settings, both ways.
#[derive(Debug, Clone)]
pub struct ClusterTls {
    /// For the internal listener: the node's certificate; clients must present one
    /// signed by the cluster's authority.
    pub server: Arc<ServerConfig>,
    /// For relaying: trusts only the cluster's authority and presents the node's
    /// certificate.
    pub client: Arc<ClientConfig>,
}

/// Why the TLS files could not be used.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("could not read {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("{path} holds no certificate")]
    NoCertificate { path: String },
    #[error("the TLS settings are not usable: {0}")]
    Config(String),
}

impl ClusterTls {
    /// Reads the node's certificate chain and key, and the authority's certificate
    /// (PEM files).
    pub fn load(cert: &Path, key: &Path, authority: &Path) -> Result<Self, TlsError> {
        let certs = certificates(cert)?;
        let key = PrivateKeyDer::from_pem_file(key).map_err(|e| TlsError::Read {
            path: key.display().to_string(),
            reason: e.to_string(),
        })?;
        let mut roots = RootCertStore::empty();
        for ca in certificates(authority)? {
            roots.add(ca).map_err(|e| TlsError::Config(e.to_string()))?;
        }
        let roots = Arc::new(roots);
        // ring rather than aws-lc (which wants cmake to build); rustls marks it for its
        // lack of post-quantum key exchange, which links inside one cluster can forgo.
        #[allow(deprecated)]
        let provider = Arc::new(default_provider());
        let config = |e: rustls::Error| TlsError::Config(e.to_string());
        let verifier = WebPkiClientVerifier::builder_with_provider(roots.clone(), provider.clone())
            .build()
            .map_err(|e| TlsError::Config(e.to_string()))?;
        let server = ServerConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(config)?
            .with_client_cert_verifier(verifier)
            .with_single_cert(certs.clone(), key.clone_key())
            .map_err(config)?;
        let client = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(config)?
            .with_root_certificates(roots)
            .with_client_auth_cert(certs, key)
            .map_err(config)?;
        Ok(Self {
            server: Arc::new(server),
            client: Arc::new(client),
        })
    }
}

fn certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let read = |e: rustls_pki_types::pem::Error| TlsError::Read {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(read)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(read)?;
    if certs.is_empty() {
        return Err(TlsError::NoCertificate {
            path: path.display().to_string(),
        });
    }
    Ok(certs)
}

/// Marks a request that arrived on the cluster's mutual-TLS listener.
#[derive(Debug, Clone, Copy)]
pub struct ThroughClusterListener;
