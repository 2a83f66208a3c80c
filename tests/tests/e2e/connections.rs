//! Connection limits: one credential cannot hold more than its share of websockets, one
//! address no more than its share of connections, and a slow or idle client cannot keep
//! a connection open.

use std::{
    net::SocketAddr,
    time::{Duration, Instant},
};

use anyhow::{Result, anyhow, bail};
use board_tests::{client::handshake_status, server::Access};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpSocket, TcpStream},
};

use crate::support::{YClient, both_databases, eventually, server};

both_databases!(
    one_credential_holds_at_most_its_websockets,
    slow_and_idle_connections_are_closed_but_websockets_stay,
    one_address_holds_at_most_its_connections,
);

const HEALTH_REQUEST: &[u8] = b"GET /healthz HTTP/1.1\r\nHost: board\r\nConnection: close\r\n\r\n";

/// Reads until the server closes the connection (10 s at most); returns what it sent.
async fn read_until_closed(tcp: &mut TcpStream) -> Result<String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, tcp.read(&mut buf)).await {
            Err(_) => bail!(
                "the server kept the connection open; it sent {:?}",
                String::from_utf8_lossy(&got)
            ),
            Ok(Ok(0)) => break,
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
            Ok(Err(err)) if err.kind() == std::io::ErrorKind::ConnectionReset => break,
            Ok(Err(err)) => return Err(err.into()),
        }
    }
    Ok(String::from_utf8_lossy(&got).into_owned())
}

/// `GET /healthz` on an open connection; true when it answers 200.
async fn healthy_on(tcp: &mut TcpStream) -> Result<bool> {
    tcp.write_all(HEALTH_REQUEST).await?;
    Ok(read_until_closed(tcp).await?.starts_with("HTTP/1.1 200"))
}

/// Tries the websocket handshake until it upgrades (10 s at most): a closed connection
/// gives its place back once the server has finished with it.
async fn upgrades_eventually(url: &str) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let status = handshake_status(url, &[]).await?;
        if status == 101 {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("the handshake still answers {status}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn one_credential_holds_at_most_its_websockets(backend: board_tests::Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &["--max-websockets-per-credential", "3"]).await?;
    let url = server.ws_url("board");
    let mut held = Vec::new();
    for _ in 0..3 {
        let client = YClient::connect(&url).await?;
        client.synced().await?;
        held.push(client);
    }

    // The observer's attack: one more socket on the same token is refused before the
    // upgrade, and counted.
    assert_eq!(handshake_status(&url, &[]).await?, 429);
    assert_eq!(
        server
            .metric("board_connections_refused_total{reason=\"too_many\"}")
            .await?,
        1.0
    );

    // Another credential, even in the same review, has its own places.
    let other = Access {
        review: server.access.review.clone(),
        token: server.token_for("observer").await?,
    };
    let other_client = YClient::connect(&server.ws_url_as(&other, "board")).await?;
    other_client.synced().await?;

    // The ones still open keep working.
    held[0].push("text", "still here");
    let reader = &held[1];
    eventually("the edit", Duration::from_secs(10), || {
        reader.text("text") == "still here"
    })
    .await?;
    // Closing one gives its place back.
    held.pop()
        .ok_or_else(|| anyhow!("no client"))?
        .close()
        .await;
    upgrades_eventually(&url).await?;
    server.assert_healthy();
    Ok(())
}

async fn slow_and_idle_connections_are_closed_but_websockets_stay(
    backend: board_tests::Backend,
) -> Result<()> {
    let (_db, mut server) = server(backend, &["--header-read-timeout", "1s"]).await?;
    let url = server.ws_url("board");
    let writer = YClient::connect(&url).await?;
    let reader = YClient::connect(&url).await?;
    writer.synced().await?;
    reader.synced().await?;

    // Slowloris: half a request, then nothing. The server hangs up once the headers
    // are late, without answering.
    let mut slow = TcpStream::connect(server.addr).await?;
    let started = Instant::now();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: bo").await?;
    let answer = read_until_closed(&mut slow).await?;
    assert!(answer.is_empty(), "no answer to half a request: {answer:?}");
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "closed by the header deadline, not at once"
    );

    // A keep-alive connection left idle after its answer is closed too.
    let mut idle = TcpStream::connect(server.addr).await?;
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: board\r\n\r\n")
        .await?;
    let answer = read_until_closed(&mut idle).await?;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:?}");

    // The websockets, open for longer than the deadline, are not cut.
    writer.push("text", "after the deadline");
    eventually("the edit", Duration::from_secs(10), || {
        reader.text("text") == "after the deadline"
    })
    .await?;
    assert!(!writer.seen().ended && !reader.seen().ended);
    assert_eq!(
        server.metric("board_header_read_timeouts_total").await?,
        2.0
    );
    server.assert_healthy();
    Ok(())
}

/// A connection to `to` from the loopback address `from`, as another machine would.
async fn connect_from(from: [u8; 4], to: SocketAddr) -> Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::from((from, 0)))?;
    Ok(socket.connect(to).await?)
}

async fn one_address_holds_at_most_its_connections(backend: board_tests::Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &["--max-connections-per-address", "5"]).await?;
    // A websocket keeps its place after the upgrade: it and four plain connections fill
    // the address's five.
    let websocket = YClient::connect(&server.ws_url("board")).await?;
    websocket.synced().await?;
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(connect_from([127, 0, 0, 1], server.addr).await?);
    }

    // The attack: one more from the same address is closed at once, unanswered.
    let mut extra = connect_from([127, 0, 0, 1], server.addr).await?;
    let started = Instant::now();
    let answer = read_until_closed(&mut extra).await?;
    assert!(answer.is_empty(), "{answer:?}");
    assert!(started.elapsed() < Duration::from_secs(5), "closed at once");

    // Another address is unaffected, and the held connections still work.
    let mut other = connect_from([127, 0, 0, 2], server.addr).await?;
    assert!(healthy_on(&mut other).await?);
    for tcp in &mut held {
        assert!(healthy_on(tcp).await?);
    }
    drop(held);
    websocket.close().await;

    // Their places are given back: the address may connect again. (Counted at least
    // once: a metrics request racing the releases may itself be refused.)
    server
        .wait_metric("board_address_connections_refused_total", |v| v >= 1.0)
        .await?;
    let mut again = connect_from([127, 0, 0, 1], server.addr).await?;
    assert!(healthy_on(&mut again).await?);
    server.assert_healthy();
    Ok(())
}
