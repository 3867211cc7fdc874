using Folios.Analyzers.Engine;
using Folios.Analyzers.Ownership;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Pipelines;

/// <summary>
/// A span or memory an <c>IBufferWriter&lt;T&gt;</c> handed out (FOLIO016): acquired by <c>GetSpan</c> or
/// <c>GetMemory</c> on any writer (PipeWriter, ArrayBufferWriter&lt;T&gt;, the user's own), released by <c>Advance</c>
/// on the same writer, after which the writer may have flushed that memory or handed it out again; viewed by its
/// slices, ranges and, for memory, its Span. Getting a second span without advancing is allowed, so a new acquisition
/// from the same writer is no misuse, and a span never advanced is no leak (nothing was written).
/// </summary>
internal sealed class WriterSpanKind(FrameworkTypes types) : ResourceKind
{
    public FrameworkTypes Types => types;

    public override bool Acquires(IInvocationOperation call) =>
        call.TargetMethod.Name is Names.BufferWriter.GetSpan or Names.BufferWriter.GetMemory && types.IsBufferWriter(call.TargetMethod.ContainingType);

    public override Release ReleaseBy(IInvocationOperation call, Tracked tracked) =>
        IsAdvance(call) && tracked.CameFrom(call.Instance) ? Release.Idempotent : Release.None;

    public bool IsAdvance(IInvocationOperation call) =>
        call.TargetMethod.Name == Names.BufferWriter.Advance && types.IsBufferWriter(call.TargetMethod.ContainingType);

    /// <summary>An advance names the writer, not the span.</summary>
    public override bool MayAffect(IOperation node) => node is IInvocationOperation call && (IsAdvance(call) || Acquires(call));

    /// <summary>Any read or write of the span or memory is a use, except its Length (which stays what it was) and a new value written over the variable.</summary>
    public override IOperation? UseAt(IOperation node, Tracked tracked)
    {
        if (tracked.ReferenceAt(node) is not { } used)
            return null;
        return used.Parent switch
        {
            IPropertyReferenceOperation { Property.Name: Names.Span.Length or Names.Span.IsEmpty } => null,
            _ => node,
        };
    }

    /// <summary>A slice or range of the span or memory, or the Span of the memory: the same memory under another name.</summary>
    public override bool IsView(IOperation? value, Tracked tracked)
    {
        if (value is null || !(FrameworkTypes.IsSpan(value.Type) || FrameworkTypes.IsMemoryType(value.Type)))
            return false;
        for (int depth = 0; value is not null && depth < 8; depth++)
        {
            var inner = OperationShape.Unwrap(value);
            switch (inner)
            {
                case ILocalReferenceOperation or IFlowCaptureReferenceOperation:
                    return tracked.Is(inner) || tracked.IsViewLocal(inner);
                case IInvocationOperation { TargetMethod.Name: Names.Span.Slice, Instance: { } sliced }:
                    value = sliced;
                    break;
                case IPropertyReferenceOperation { Property.Name: Names.Memory.Span, Instance: { } memory } when FrameworkTypes.IsMemoryType(memory.Type):
                    value = memory;
                    break;
                case IImplicitIndexerReferenceOperation range when FrameworkTypes.IsSpan(range.Type) || FrameworkTypes.IsMemoryType(range.Type):
                    value = range.Instance;
                    break;
                default:
                    return false;
            }
        }
        return false;
    }

    /// <summary>A span used only before the next Advance, as the tree proves, needs no graph.</summary>
    public override bool ReleasedByStructure(IInvocationOperation acquisition, IOperation[] listing, bool exceptionLeaksReported, out IInvocationOperation? release)
    {
        release = null;
        return StructuredAdvance.UsedBeforeAdvance(acquisition, listing, this);
    }

    /// <summary>A call that is also handed the writer may advance it itself: the span goes with the writer.</summary>
    public override bool TakesOwnership(IArgumentOperation argument, Tracked tracked) =>
        base.TakesOwnership(argument, tracked)
        || argument.Parent is IInvocationOperation call && call.Arguments.Any(other => other != argument && tracked.CameFrom(other.Value));
}
