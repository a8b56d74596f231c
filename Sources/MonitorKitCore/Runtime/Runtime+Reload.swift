/// Applying a new config by difference. Runs on the supervisor's loop, one reload at a time.
///
/// A source whose config changed is built anew while the old one still serves, then swapped in
/// (two caches on one directory is a case the cache is made for), so a build that fails keeps
/// the old source running. A sink that moves to another address starts there and serves before
/// the old one stops and finishes its requests in flight; one that keeps its address stops
/// first, and gets its old config back if the new one cannot start.
extension Runtime {
    func apply(_ new: MonitordConfig) async -> ReloadOutcome {
        var outcome = ReloadOutcome(file: new.file)
        let (old, running, handler) = state.withLock { ($0.config, $0.components, $0.logLevelHandler) }
        let generation = state.withLock { state -> Int in
            state.generation += 1
            return state.generation
        }
        var settings = old.settings
        if new.settings.logLevel != old.settings.logLevel {
            handler?(new.settings.logLevel)
            settings.logLevel = new.settings.logLevel
            outcome.changes.append(.init(component: "monitord.log_level", action: .updated, message: "\(old.settings.logLevel.rawValue) -> \(new.settings.logLevel.rawValue)"))
        }
        if new.settings.shutdownTimeout != old.settings.shutdownTimeout {
            settings.shutdownTimeout = new.settings.shutdownTimeout
            outcome.changes.append(.init(component: "monitord.shutdown_timeout", action: .updated))
        }
        if new.settings.history != old.settings.history {
            outcome.notes.append("monitord.history changed: it applies at the next start (each source's history is allocated then)")
        }
        if new.settings.logFormat != old.settings.logFormat {
            outcome.notes.append("monitord.log_format changed: it applies at the next start (monitord's own logs are set up once)")
        }
        let deadline = { ContinuousClock.now + settings.shutdownTimeout }
        let ended = endedHandler()

        var sources = running.filter(\.isSource)
        var sinks = running.filter { !$0.isSource }
        let newSourceIDs = Set(new.sources.map(\.id)), newSinkIDs = Set(new.sinks.map(\.id))

        // Gone: sinks first (they read the sources), each after draining its queue.
        for component in sinks where !newSinkIDs.contains(component.id) {
            // In the background: the request that asked for this reload may be one it serves.
            let id = component.id
            stopInBackground(component, until: deadline()) { [context] in context.removeStatus(id) }
            outcome.changes.append(.init(component: component.name, action: .removed))
        }
        sinks.removeAll { !newSinkIDs.contains($0.id) }
        for component in sources where !newSourceIDs.contains(component.id) {
            (component.sourceHealth)?.retire()
            context.removeSource(component.id)
            pipeline.unregister(source: component.id)
            await component.stop(until: deadline())
            context.removeStatus(component.id)
            outcome.changes.append(.init(component: component.name, action: .removed))
        }
        sources.removeAll { !newSourceIDs.contains($0.id) }

        let declared = ConfigCheckContext.forSources(new.sources.map { ($0.id, $0.config) })
        var nextSources: [Component] = []
        for entry in new.sources {
            guard let current = sources.first(where: { $0.id == entry.id }) else {
                do {
                    let component = commit(try await buildSource(entry, declared: declared), generation: generation)
                    component.launch(ended: ended)
                    nextSources.append(component)
                    outcome.changes.append(.init(component: component.name, action: .added))
                } catch {
                    outcome.errors.append("\(error)")
                    outcome.changes.append(.init(component: "sources.\(entry.id)", action: .failed, message: error.message))
                }
                continue
            }
            let (component, change) = await reapply(current, entry, declared: declared, generation: generation, deadline: deadline, ended: ended)
            nextSources.append(component)
            outcome.changes.append(change)
            if change.action == .failed { outcome.errors.append("\(change.component): \(change.message ?? "failed") (the running source was kept)") }
        }
        context.orderSources(new.sources.map(\.id))

        var nextSinks: [Component] = []
        for entry in new.sinks {
            let current = sinks.first { $0.id == entry.id }
            let (component, change) = await reapply(current, entry, generation: generation, deadline: deadline, ended: ended)
            if let component { nextSinks.append(component) }
            outcome.changes.append(change)
            if change.action == .failed { outcome.errors.append("\(change.component): \(change.message ?? "failed")") }
        }

        var applied = new
        applied.settings = settings
        applied.sources = nextSources.compactMap(\.sourceEntry)
        applied.sinks = nextSinks.compactMap(\.sinkEntry)
        state.withLock { state in
            state.config = applied
            state.components = nextSources + nextSinks
        }
        outcome.time = Event.now()
        return outcome
    }

    private func endedHandler() -> @Sendable (Component, Result<Void, any Error>) -> Void {
        let inbox = self.inbox
        return { inbox.yield(.ended($0, $1)) }
    }

    /// Keeps, updates or rebuilds one source.
    private func reapply(
        _ current: Component, _ entry: MonitordConfig.SourceEntry, declared: ConfigCheckContext, generation: Int,
        deadline: () -> ContinuousClock.Instant, ended: @escaping @Sendable (Component, Result<Void, any Error>) -> Void
    ) async -> (Component, ReloadChange) {
        guard case .source(let source, let was, _) = current.part else { return (current, .init(component: current.name, action: .kept)) }
        let name = current.name
        let metrics = declared.metrics[entry.id] ?? []
        let sameType = was.settings.type == entry.settings.type
        var updated = false
        if sameType && was.fingerprint != entry.fingerprint {
            if let reconfigurable = source as? any ReconfigurableSource, await reconfigurable.reconfigure(to: entry.config) {
                updated = true
            } else {
                // Rebuilt: the new one is built while the old one serves, then takes its place.
                do {
                    let built = try await buildSource(entry, declared: declared)
                    current.sourceHealth?.retire()
                    let component = commit(built, generation: generation)
                    component.launch(ended: ended)
                    await current.stop(until: deadline())
                    return (component, .init(component: name, action: .rebuilt))
                } catch {
                    return (current, .init(component: name, action: .failed, message: error.message))
                }
            }
        } else if !sameType {
            // Another plugin under the same id: the old one goes first (it may hold what the new needs).
            current.sourceHealth?.retire()
            context.removeSource(current.id)
            await current.stop(until: deadline())
            do {
                let component = commit(try await buildSource(entry, declared: declared), generation: generation)
                component.launch(ended: ended)
                return (component, .init(component: name, action: .rebuilt))
            } catch {
                // Its old config back, so the id keeps serving.
                if let back = try? await buildSource(was, declared: declared) {
                    let component = commit(back, generation: generation)
                    component.launch(ended: ended)
                    return (component, .init(component: name, action: .failed, message: error.message))
                }
                context.setStatus(current.id, role: .source, type: entry.settings.type, state: .failing, message: error.message)
                return (current, .init(component: name, action: .failed, message: error.message))
            }
        }
        let info = SourceInfo(
            id: entry.id, type: entry.settings.type, actions: source.actions, isStore: source is any KeyValueStore,
            interval: entry.settings.interval, metrics: metrics)
        if was.settings == entry.settings {
            if context.sourceInfo(entry.id) != info { context.install(source, info: info) }
            guard updated else { return (current, .init(component: name, action: .kept)) }
            current.adopt(entry)
            return (current, .init(component: name, action: .updated))
        }
        // Same source object, new schedule or config: a new scheduler around it.
        current.sourceHealth?.retire()
        await current.stop(until: deadline())
        let component = commit(BuiltSource(source: source, entry: entry, info: info, condition: current.sourceCondition), generation: generation)
        component.launch(ended: ended)
        return (component, .init(component: name, action: .updated))
    }

    /// Keeps, updates, rebuilds or adds one sink; `nil` when it could not be started at all.
    private func reapply(
        _ current: Component?, _ entry: MonitordConfig.SinkEntry, generation: Int,
        deadline: () -> ContinuousClock.Instant, ended: @escaping @Sendable (Component, Result<Void, any Error>) -> Void
    ) async -> (Component?, ReloadChange) {
        let name = "sinks.\(entry.id)"
        guard let current, case .sink(let sink, let was, _) = current.part else {
            do {
                return (try await startSink(entry, generation: generation, ended: ended), .init(component: name, action: .added))
            } catch {
                return (nil, .init(component: name, action: .failed, message: error.message))
            }
        }
        let sameType = was.settings.type == entry.settings.type
        if sameType && was.settings == entry.settings {
            if was.fingerprint == entry.fingerprint {
                guard let reading = sink as? any FileReadingSink else { return (current, .init(component: name, action: .kept)) }
                switch await reading.reread(entry.config) {
                case .unchanged:
                    return (current, .init(component: name, action: .kept))
                case .updated(let message):
                    current.adopt(entry)
                    return (current, .init(component: name, action: .updated, message: message))
                case .failed(let message):
                    return (current, .init(component: name, action: .failed, message: message))
                }
            }
            if let reconfigurable = sink as? any ReconfigurableSink, await reconfigurable.reconfigure(to: entry.config) {
                current.adopt(entry)
                return (current, .init(component: name, action: .updated))
            }
        }
        if sharesAddress(was.config, entry.config) {
            // The new one needs the old one's port, which the old one gives up as soon as it
            // stops accepting; it then finishes its requests in flight (the reload's own, when
            // it came through this sink) while the new one already serves.
            let stopping = stopInBackground(current, until: deadline())
            var failure: RuntimeError?
            for attempt in 0..<40 {
                do {
                    return (try await startSink(entry, generation: generation, ended: ended), .init(component: name, action: .rebuilt))
                } catch {
                    failure = error
                    guard error.message.contains("address already in use"), attempt < 39 else { break }
                    try? await Task.sleep(for: .milliseconds(50))
                }
            }
            // Waiting for the old one only helps when the port was what failed; otherwise (an
            // address this machine lacks) it would only wait for its requests in flight, the
            // reload's own among them when it came through this sink.
            if failure?.message.contains("address already in use") == true { await stopping.value }
            do {
                return (try await startSink(entry, generation: generation, ended: ended), .init(component: name, action: .rebuilt))
            } catch {
                _ = failure
                let back = try? await startSink(was, generation: generation, ended: ended)
                if back == nil {
                    context.setStatus(entry.id, role: .sink, type: was.settings.type, state: .failing, message: error.message)
                }
                return (back, .init(component: name, action: .failed, message: error.message + (back == nil ? "" : " (its previous config runs again)")))
            }
        }
        do {
            let component = try await startSink(entry, generation: generation, ended: ended)
            // The old one finishes its requests in flight (the reload's own among them) on its own.
            stopInBackground(current, until: deadline())
            return (component, .init(component: name, action: .rebuilt))
        } catch {
            return (current, .init(component: name, action: .failed, message: error.message + " (the running sink was kept)"))
        }
    }

    /// Builds, subscribes and launches a sink, and waits until it serves.
    private func startSink(
        _ entry: MonitordConfig.SinkEntry, generation: Int, ended: @escaping @Sendable (Component, Result<Void, any Error>) -> Void
    ) async throws(RuntimeError) -> Component {
        let component = try await buildSink(entry, generation: generation)
        guard case .sink(let sink, _, let subscription) = component.part else { return component }
        component.launch(ended: ended)
        do {
            try await sink.ready()
        } catch {
            component.cancel()
            await component.finished()
            subscription.cancel()
            if case .failure(let failure) = await component.finished(), let runtimeError = failure as? RuntimeError {
                throw runtimeError
            }
            throw RuntimeError(component: "sinks.\(entry.id)", message: "\(error)")
        }
        context.setStatus(entry.id, role: .sink, type: entry.settings.type, state: .ok)
        return component
    }

    /// Stops a sink a reload replaced or removed without waiting for it, then takes it off the bus.
    @discardableResult
    private func stopInBackground(
        _ component: Component, until deadline: ContinuousClock.Instant, then: @escaping @Sendable () -> Void = {}
    ) -> Task<Void, Never> {
        Task {
            await component.stop(until: deadline)
            retireSink(component)
            then()
        }
    }

    /// A sink that a reload stopped leaves the bus.
    private func retireSink(_ component: Component) {
        if case .sink(_, _, let subscription) = component.part { subscription.cancel() }
    }

    /// Whether two sink configs listen on the same fixed port (any host: 0.0.0.0 covers the rest).
    private func sharesAddress(_ a: any SinkConfig, _ b: any SinkConfig) -> Bool {
        guard let first = a.listenAddress, let second = b.listenAddress else { return false }
        return first.port != 0 && first.port == second.port
    }
}

extension Component {
    var sourceHealth: SourceHealth? {
        if case .source(_, _, let health) = part { health } else { nil }
    }

    var sourceCondition: SourceCondition {
        sourceHealth?.condition ?? SourceCondition()
    }
}
