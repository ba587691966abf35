package io.dynamotrigger.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on a loopback port in front of the endpoint. {@link #cut()} closes every connection and the
 * listening socket, so that new connections are refused, until {@link #restore()} listens again on the same
 * port.
 */
final class LoopbackProxy implements AutoCloseable {

	private final int targetPort;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private final int port;

	private volatile ServerSocket server;

	LoopbackProxy(int targetPort) {
		this.targetPort = targetPort;
		this.server = listen(0);
		this.port = this.server.getLocalPort();
		accept(this.server);
	}

	URI endpoint() {
		return URI.create("http://127.0.0.1:" + this.port);
	}

	synchronized void cut() {
		closeQuietly(this.server);
		this.sockets.forEach(LoopbackProxy::closeQuietly);
		this.sockets.clear();
	}

	synchronized void restore() {
		this.server = listen(this.port);
		accept(this.server);
	}

	@Override
	public void close() {
		cut();
	}

	private static ServerSocket listen(int port) {
		try {
			ServerSocket server = new ServerSocket();
			server.setReuseAddress(true);
			server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not listen on 127.0.0.1:" + port, ex);
		}
	}

	private void accept(ServerSocket server) {
		daemon("proxy-accept-" + this.port, () -> {
			while (!server.isClosed()) {
				try {
					Socket client = server.accept();
					Socket target = new Socket(InetAddress.getLoopbackAddress(), this.targetPort);
					this.sockets.add(client);
					this.sockets.add(target);
					daemon("proxy-up", () -> pump(client, target));
					daemon("proxy-down", () -> pump(target, client));
				}
				catch (IOException ex) {
					// Closed by cut(), or the endpoint refused: the client sees its connection end.
				}
			}
		});
	}

	private void pump(Socket from, Socket to) {
		byte[] buffer = new byte[16384];
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
				out.write(buffer, 0, read);
				out.flush();
			}
		}
		catch (IOException ex) {
			// One side closed; close both below.
		}
		finally {
			closeQuietly(from);
			closeQuietly(to);
			this.sockets.remove(from);
			this.sockets.remove(to);
		}
	}

	private static void daemon(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(java.io.Closeable closeable) {
		try {
			closeable.close();
		}
		catch (IOException ex) {
			// Closing during a cut: nothing to do.
		}
	}

}
