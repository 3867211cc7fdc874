using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Analysis;

/// <summary>
/// Unmap state of one mapping local over a control-flow graph: a may-analysis of "still mapped" and "already
/// unmapped" along every path, exception paths included (a catch or finally starts from any state its try reaches).
/// Finds a second Unmap, a use of the span after an unmap, and the mapped buffer freed while still mapped.
/// </summary>
internal sealed class UnmapFlow
{
    [Flags]
    private enum State
    {
        None = 0,
        NotMapped = 1,
        Mapped = 2,
        Unmapped = 4,
    }

    public enum Finding
    {
        UnmappedTwice,
        UsedAfterUnmap,
        SpanOutlivesMapping,
        FreedWhileMapped,
    }

    private readonly ControlFlowGraph _graph;
    private readonly ILocalSymbol _local;
    private readonly FoliosTypes _types;
    private readonly HashSet<CaptureId> _captures = new();
    private readonly HashSet<ILocalSymbol> _spans = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<IOperation, (Finding Kind, bool Certain)> _findings = new();
    private ISymbol? _mappedBuffer;

    public UnmapFlow(ControlFlowGraph graph, ILocalSymbol local, FoliosTypes types)
    {
        _graph = graph;
        _local = local;
        _types = types;
        foreach (var capture in Graphs.AllOperations(graph).OfType<IFlowCaptureOperation>())
        {
            if (ConstantValues.Unwrap(capture.Value) is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local))
                _captures.Add(capture.Id);
        }
        // Span locals taken from the mapping (m.Span, m.Span.Slice(...)) and never assigned anything else: they outlive
        // an unmap, and the memory does not.
        var assignments = Graphs.AllOperations(graph).OfType<ISimpleAssignmentOperation>()
            .Where(a => a.Target is ILocalReferenceOperation)
            .GroupBy(a => ((ILocalReferenceOperation)a.Target).Local, SymbolEqualityComparer.Default);
        foreach (var written in assignments)
        {
            if (written.Count() == 1 && IsMappingSpan(written.First().Value))
                _spans.Add((ILocalSymbol)written.Key!);
        }
    }

    /// <summary>Each misuse, at the operation that commits it; Certain when every path to it has the mapping unmapped.</summary>
    public IReadOnlyDictionary<IOperation, (Finding Kind, bool Certain)> Run()
    {
        var blocks = _graph.Blocks;
        var entry = new State[blocks.Length];
        var work = new Queue<int>();
        var queued = new HashSet<int>();
        void Merge(int ordinal, State state)
        {
            var merged = entry[ordinal] | state;
            if (merged == entry[ordinal])
                return;
            entry[ordinal] = merged;
            if (queued.Add(ordinal))
                work.Enqueue(ordinal);
        }
        Merge(0, State.NotMapped);

        while (work.Count > 0)
        {
            int ordinal = work.Dequeue();
            queued.Remove(ordinal);
            var block = blocks[ordinal];
            var handlers = Graphs.HandlersAround(_graph, block);
            var state = entry[ordinal];
            foreach (var handler in handlers)
                Merge(handler.FirstBlockOrdinal, state);
            foreach (var operation in block.Operations)
            {
                state = Transfer(operation, state, report: true);
                // An exception may leave from any point of a try: its handlers start from every state it reaches.
                foreach (var handler in handlers)
                    Merge(handler.FirstBlockOrdinal, state);
            }
            if (block.BranchValue is { } branchValue)
                state = Transfer(branchValue, state, report: true);

            foreach (var branch in new[] { block.FallThroughSuccessor, block.ConditionalSuccessor })
            {
                if (branch is null)
                    continue;
                var after = state;
                foreach (var region in branch.FinallyRegions)
                {
                    // The finally's own blocks are analysed (and report) from the union of states that reach it;
                    // past it, its effect is applied in order.
                    Merge(region.FirstBlockOrdinal, after);
                    after = ApplyRegion(region, after);
                }
                if (branch.Destination is { } destination)
                    Merge(destination.Ordinal, after);
            }
        }
        return _findings;
    }

    private State ApplyRegion(ControlFlowRegion region, State state)
    {
        for (int ordinal = region.FirstBlockOrdinal; ordinal <= region.LastBlockOrdinal; ordinal++)
        {
            foreach (var operation in _graph.Blocks[ordinal].Operations)
                state = Transfer(operation, state, report: false);
        }
        return state;
    }

    private State Transfer(IOperation operation, State state, bool report)
    {
        foreach (var node in operation.DescendantsAndSelf())
        {
            switch (node)
            {
                case ISimpleAssignmentOperation assignment when IsTracked(assignment.Target):
                    if (ConstantValues.Unwrap(assignment.Value) is IInvocationOperation source && MappingOwnership.IsMapsPages(source, _types))
                    {
                        // Only an extent buffer's Dispose frees the pages it mapped; an allocator's tears everything down.
                        if (source.TargetMethod.ContainingType is { Name: "ExtentBuffer", ContainingNamespace.Name: "Folios" })
                            _mappedBuffer ??= Symbol(source.Instance);
                        state = State.Mapped;
                    }
                    else
                    {
                        state = State.NotMapped;
                    }
                    break;
                case IInvocationOperation call when call.Instance is { } instance && IsTracked(ConstantValues.Unwrap(instance)) && MappingOwnership.IsUnmapsPages(call.TargetMethod, _types):
                    // Dispose after an unmap does nothing; a second Unmap throws.
                    if (call.TargetMethod.Name == "Unmap")
                        Report(call, Finding.UnmappedTwice, state, report);
                    state = State.Unmapped;
                    break;
                case IPropertyReferenceOperation { Property.Name: "Span" } span when span.Instance is { } instance && IsTracked(ConstantValues.Unwrap(instance)):
                    Report(span, Finding.UsedAfterUnmap, state, report);
                    break;
                case ILocalReferenceOperation { IsDeclaration: false } spanUse when _spans.Contains(spanUse.Local) && !IsAssignedTo(spanUse):
                    Report(spanUse, Finding.SpanOutlivesMapping, state, report);
                    break;
                case IArgumentOperation argument when IsTracked(ConstantValues.Unwrap(argument.Value)) && argument.Parameter is { } parameter
                                                      && FoliosTypes.HasAttribute(parameter, _types.UnmapsPagesAttribute):
                    state = State.Unmapped;
                    break;
                case IInvocationOperation { IsImplicit: false, TargetMethod.Name: "Dispose", Instance: { } buffer } free
                    when _mappedBuffer is not null && SymbolEqualityComparer.Default.Equals(Symbol(buffer), _mappedBuffer):
                    if (report && (state & State.Mapped) != 0)
                        _findings[free] = (Finding.FreedWhileMapped, state == State.Mapped);
                    break;
            }
        }
        return state;
    }

    private void Report(IOperation at, Finding kind, State state, bool report)
    {
        if (report && (state & State.Unmapped) != 0)
            _findings[at] = (kind, state == State.Unmapped);
    }

    /// <summary><c>m.Span</c>, or a Slice of it (any call whose receiver chain starts at it).</summary>
    private bool IsMappingSpan(IOperation? value)
    {
        for (value = ConstantValues.Unwrap(value); value is not null; value = ConstantValues.Unwrap(value))
        {
            switch (value)
            {
                case IPropertyReferenceOperation { Property.Name: "Span" } span when IsTracked(ConstantValues.Unwrap(span.Instance)):
                    return true;
                case IInvocationOperation call when call.Instance is not null:
                    value = call.Instance;
                    break;
                default:
                    return false;
            }
        }
        return false;
    }

    private static bool IsAssignedTo(ILocalReferenceOperation reference) =>
        reference.Parent is ISimpleAssignmentOperation assignment && assignment.Target == reference;

    private bool IsTracked(IOperation? operation) => operation switch
    {
        ILocalReferenceOperation reference => SymbolEqualityComparer.Default.Equals(reference.Local, _local),
        IFlowCaptureReferenceOperation capture => _captures.Contains(capture.Id),
        _ => false,
    };

    private static ISymbol? Symbol(IOperation? operation) => ConstantValues.Unwrap(operation) switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IFieldReferenceOperation field => field.Field,
        _ => null,
    };
}
