//! A TCP proxy for one link of a cluster (a node to PostgreSQL, or to another node)
//! that passes, delays, black-holes or resets its traffic on demand, so tests can cut
//! links the way networks do.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use anyhow::Result;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
    sync::watch,
};

/// What the proxy does with traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Passes everything.
    Pass,
    /// Passes everything, each chunk this much later.
    Delay(Duration),
    /// Keeps connections open but passes nothing either way until the mode changes (a
    /// partition: bytes wait, and flow again once it heals), and accepts new
    /// connections that go nowhere meanwhile.
    BlackHole,
    /// Resets every open connection and every new one.
    Reset,
}

/// A running proxy: listens on [`addr`](Self::addr), forwards to its target.
pub struct Proxy {
    pub addr: SocketAddr,
    mode: watch::Sender<Mode>,
    target: watch::Sender<Option<SocketAddr>>,
    task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    /// Starts a proxy on an ephemeral port; it forwards once [`target`](Self::target)
    /// is set (connections before that wait for it).
    pub async fn start(target: Option<SocketAddr>) -> Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (mode, mode_rx) = watch::channel(Mode::Pass);
        let (target_tx, target_rx) = watch::channel(target);
        let task = tokio::spawn(accept(listener, Arc::new(mode_rx), target_rx));
        Ok(Self {
            addr,
            mode,
            target: target_tx,
            task,
        })
    }

    /// Where connections go from now on.
    pub fn target(&self, target: SocketAddr) {
        self.target.send_replace(Some(target));
    }

    /// Changes what the proxy does, for open connections as for new ones.
    pub fn set(&self, mode: Mode) {
        self.mode.send_replace(mode);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn accept(
    listener: TcpListener,
    mode: Arc<watch::Receiver<Mode>>,
    target: watch::Receiver<Option<SocketAddr>>,
) {
    let mut connections = tokio::task::JoinSet::new();
    while let Ok((client, _)) = listener.accept().await {
        let mode = (*mode).clone();
        let mut target = target.clone();
        connections.spawn(async move {
            let to = match target.wait_for(Option::is_some).await {
                Ok(to) => *to,
                Err(_) => None,
            };
            let Some(to) = to else { return };
            if *mode.borrow() == Mode::Reset {
                reset(client);
                return;
            }
            let Ok(server) = TcpStream::connect(to).await else {
                reset(client);
                return;
            };
            let _ = client.set_nodelay(true);
            let _ = server.set_nodelay(true);
            pipe(client, server, mode).await;
        });
        // Finished connections are reaped as new ones arrive.
        while connections.try_join_next().is_some() {}
    }
}

/// Closes with RST rather than FIN.
fn reset(stream: TcpStream) {
    let _ = stream.set_zero_linger();
    drop(stream);
}

async fn pipe(client: TcpStream, server: TcpStream, mode: watch::Receiver<Mode>) {
    let (client_rx, client_tx) = client.into_split();
    let (server_rx, server_tx) = server.into_split();
    let up = copy(client_rx, server_tx, mode.clone());
    let down = copy(server_rx, client_tx, mode);
    // Either direction ending (or a reset) ends both, dropping both sockets.
    tokio::select! {
        _ = up => {}
        _ = down => {}
    }
}

/// Copies one direction until EOF, an error or a reset. While black-holed nothing is
/// read or written: bytes wait, as a partitioned network's retransmissions do, and
/// flow again when the link heals (a reset drops them).
async fn copy(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    mut mode: watch::Receiver<Mode>,
) {
    let mut buf = vec![0u8; 64 << 10];
    loop {
        if !passable(&mut mode, &from, &to).await {
            return;
        }
        let n = tokio::select! {
            read = from.read(&mut buf) => match read {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            },
            changed = mode.changed() => {
                if changed.is_err() {
                    return;
                }
                continue;
            }
        };
        if !passable(&mut mode, &from, &to).await {
            return;
        }
        let current = *mode.borrow();
        if let Mode::Delay(by) = current {
            tokio::time::sleep(by).await;
        }
        if to.write_all(&buf[..n]).await.is_err() {
            return;
        }
    }
}

/// Waits while the link is black-holed; false once it is reset (both sockets then
/// close with RST) or the proxy is gone.
async fn passable(
    mode: &mut watch::Receiver<Mode>,
    from: &tokio::net::tcp::OwnedReadHalf,
    to: &tokio::net::tcp::OwnedWriteHalf,
) -> bool {
    loop {
        let current = *mode.borrow_and_update();
        match current {
            Mode::Pass | Mode::Delay(_) => return true,
            Mode::Reset => {
                let _ = from.as_ref().set_zero_linger();
                let _ = to.as_ref().set_zero_linger();
                return false;
            }
            Mode::BlackHole => {
                if mode.changed().await.is_err() {
                    return false;
                }
            }
        }
    }
}
