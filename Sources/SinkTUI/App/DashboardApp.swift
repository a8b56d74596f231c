#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MonitorKitCore

/// Runs the full-screen view: one loop owns the state and the screen; the event feed, the
/// keyboard thread, the clock and finished actions all send it ``DashboardInput``s.
struct DashboardApp: Sendable {
    let backend: any DashboardBackend
    let options: DashboardOptions
    let screen: TerminalScreen
    let version: String

    init(backend: any DashboardBackend, options: DashboardOptions, screen: TerminalScreen, version: String) {
        self.backend = backend
        self.options = options
        self.screen = screen
        self.version = version
    }

    /// Takes over the terminal until `q`, a handled signal or the end of the feed, and gives it
    /// back on every one of those ways out.
    func run() async -> DashboardExit {
        let capture = options.captureOutput ? OutputCapture(fds: [STDOUT_FILENO, STDERR_FILENO]) : nil
        // The view keeps writing to the terminal itself, through the copy the capture kept.
        let screen = capture.map { TerminalScreen(inputFD: self.screen.inputFD, outputFD: $0.terminalFD(for: self.screen.outputFD)) } ?? self.screen
        let app = DashboardApp(backend: backend, options: options, screen: screen, version: version)
        defer { capture?.restore() }
        return await app.runOnScreen(capture: capture)
    }

    private func runOnScreen(capture: OutputCapture?) async -> DashboardExit {
        let (inputs, continuation) = AsyncStream.makeStream(of: DashboardInput.self)
        let signals = try? SignalPipe(signals: [SIGWINCH] + options.signals)
        let keyboard = TerminalInput(
            inputFD: screen.hasKeyboard ? screen.inputFD : nil, signalFD: signals?.readFD,
            outputFDs: capture?.streams.map(\.readFD) ?? []
        ) { event in
            switch event {
            case .keys(let keys): for key in keys { continuation.yield(.key(key)) }
            case .signal(SIGWINCH): continuation.yield(.resize)
            case .signal(let number): continuation.yield(.signal(number))
            case .output(let fd, let bytes):
                capture?.keep(bytes[...], from: fd)
                continuation.yield(.output(bytes))
            }
        }
        screen.enter()
        keyboard.start()
        defer {
            keyboard.stop()
            signals?.uninstall()
            screen.restore()
        }
        return await withDiscardingTaskGroup { group in
            group.addTask {
                await backend.feed { continuation.yield($0) }
                if !Task.isCancelled { continuation.yield(.feedEnded) }
            }
            let interval = options.refreshInterval
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    continuation.yield(.tick)
                }
            }
            var loop = Loop(app: self, continuation: continuation)
            let exit = await loop.run(inputs, group: &group)
            group.cancelAll()
            continuation.finish()
            return exit
        }
    }

    /// The state, the screen writer and the frame pacing, owned by the one task that draws.
    private struct Loop {
        let app: DashboardApp
        let continuation: AsyncStream<DashboardInput>.Continuation
        var state: DashboardState
        var writer: ScreenWriter
        var lastFrame = ContinuousClock.now - .seconds(60)
        var frameScheduled = false
        var dirty = true

        init(app: DashboardApp, continuation: AsyncStream<DashboardInput>.Continuation) {
            self.app = app
            self.continuation = continuation
            let connection: ConnectionState = app.backend.mode == .local ? .local : .connecting
            state = DashboardState(mode: app.backend.mode, version: app.version, connection: connection, preferredSource: app.options.initialSource)
            writer = ScreenWriter(colors: app.options.colors)
        }

        mutating func run(_ inputs: AsyncStream<DashboardInput>, group: inout DiscardingTaskGroup) async -> DashboardExit {
            draw()
            for await input in inputs {
                let now = Event.now()
                switch input {
                case .key(let key):
                    for command in state.handle(key, now: now) {
                        switch command {
                        case .quit: return .quit
                        case .repaint: writer.invalidate()
                        case .refresh(let source): refresh(source, group: &group)
                        case .clear(let source): clear(source, group: &group)
                        }
                    }
                    draw()
                case .resize:
                    writer.invalidate()
                    draw()
                case .tick:
                    _ = state.expireNotice(now: now)
                    if let figures = await app.backend.poll() { state.apply(figures, now: now) }
                    draw()
                case .frame:
                    frameScheduled = false
                    if dirty { draw() }
                case .feedEnded:
                    return .feedEnded
                case .signal(let number):
                    return .signal(number)
                default:
                    state.apply(input, now: now)
                    requestFrame(group: &group)
                }
            }
            return .feedEnded
        }

        /// Draws now, or once the minimum frame interval has passed since the last frame.
        mutating func requestFrame(group: inout DiscardingTaskGroup) {
            dirty = true
            let wait = app.options.minimumFrameInterval - (ContinuousClock.now - lastFrame)
            guard wait > .zero else { return draw() }
            guard !frameScheduled else { return }
            frameScheduled = true
            let continuation = self.continuation
            group.addTask {
                try? await Task.sleep(for: wait)
                continuation.yield(.frame)
            }
        }

        mutating func draw() {
            let size = app.screen.size
            let lines = DashboardRenderer(width: size.width, height: size.height, now: Event.now()).render(state)
            let bytes = writer.update(lines)
            if !bytes.isEmpty { app.screen.write(bytes) }
            lastFrame = ContinuousClock.now
            dirty = false
        }

        func refresh(_ source: String?, group: inout DiscardingTaskGroup) {
            let backend = app.backend, continuation = self.continuation
            group.addTask {
                if let figures = await backend.poll() { continuation.yield(figures) }
                guard let source else { return }
                do {
                    if let sample = try await backend.stats(source: source) {
                        continuation.yield(.stats(source: source, sample: sample))
                    }
                    continuation.yield(.refreshed(source: source))
                } catch {
                    continuation.yield(.failure("Refresh of \(source) failed: \(error)"))
                }
            }
        }

        func clear(_ source: String, group: inout DiscardingTaskGroup) {
            let backend = app.backend, continuation = self.continuation
            group.addTask {
                do {
                    let result = try await backend.clear(source: source)
                    // Fresh figures first, so the cards already show the zeros when the counts appear.
                    if let sample = try? await backend.stats(source: source) {
                        continuation.yield(.stats(source: source, sample: sample))
                    }
                    continuation.yield(.cleared(source: source, result))
                } catch {
                    continuation.yield(.failure("Clear of \(source) failed: \(error)"))
                }
            }
        }
    }
}
