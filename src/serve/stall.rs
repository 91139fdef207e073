//! Connections whose client stops reading are closed.
//!
//! A heavy answer holds one of the server's few turns until its client has
//! taken the bytes (`router::HeldBody`), which is what bounds the answers
//! in memory. A client that asks and then never reads would hold its turn
//! for as long as the connection lives, and a handful of them would leave
//! every other heavy request a `503`. So every accepted connection gets a
//! write timeout: a write that makes no progress for [`SEND_STALL`] fails,
//! hyper closes the connection, and the answer and its turn go with it. A
//! slow client loses nothing: the clock restarts with every byte it takes.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::time::Duration;

use axum::serve::Listener;
use tokio::net::{TcpListener, TcpStream};
use tokio_io_timeout::TimeoutStream;

/// How long a write may make no progress before its connection is closed,
/// by default: far beyond any pause of a client that is still reading.
pub const SEND_STALL: Duration = Duration::from_secs(30);

/// A TCP listener whose connections close when a write stalls for `stall`.
pub(super) struct StallLimited {
    pub(super) listener: TcpListener,
    pub(super) stall: Duration,
}

impl Listener for StallLimited {
    type Io = Pin<Box<TimeoutStream<TcpStream>>>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        // axum's own accept loop for a TCP listener, which rides out
        // accept errors (out of file descriptors, a connection reset
        // before it was taken).
        let (stream, addr) = Listener::accept(&mut self.listener).await;
        let mut stream = TimeoutStream::new(stream);
        stream.set_write_timeout(Some(self.stall));
        (Box::pin(stream), addr)
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }
}
