using Folios.Analyzers.Engine;
using Folios.Analyzers.Ownership;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Pipelines;

/// <summary>
/// A read from a <c>PipeReader</c> (FOLIO014, FOLIO015): acquired by <c>ReadAsync</c>, <c>ReadAtLeastAsync</c> or a
/// <c>TryRead</c> that returned true; released by <c>AdvanceTo</c> on the same reader, or by its <c>Complete</c>
/// (which ends an active read itself); used through <c>result.Buffer</c>, and viewed by everything taken from that
/// buffer (slices, segments, spans, positions, a SequenceReader over it), whose memory goes back to the pool at the
/// advance. A second read from the same reader while one is held throws.
/// </summary>
internal sealed class ReadResultKind(FrameworkTypes types) : ResourceKind
{
    public override bool Acquires(IInvocationOperation call) =>
        call.TargetMethod.Name is Names.PipeReader.ReadAsync or Names.PipeReader.ReadAtLeastAsync or Names.PipeReader.TryRead
        && FrameworkTypes.IsOrDerivesFrom(call.TargetMethod.ContainingType, types.PipeReader);

    /// <summary>TryRead delivers the result through its out argument, and only when it returns true.</summary>
    public override IArgumentOperation? DeliveredThrough(IInvocationOperation acquisition)
    {
        if (acquisition.TargetMethod.Name != Names.PipeReader.TryRead)
            return null;
        foreach (var argument in acquisition.Arguments)
        {
            if (argument.Parameter?.RefKind == RefKind.Out)
                return argument;
        }
        return null;
    }

    /// <summary>
    /// <c>AdvanceTo</c> or <c>Complete</c> on the reader the read came from. An advance to the start of the read's own
    /// buffer (<c>AdvanceTo(result.Buffer.Start, result.Buffer.End)</c>) consumes nothing: no reader frees a segment
    /// there. (A local copy of the buffer may have been narrowed through a <c>ref</c>, which is not followed.)
    /// </summary>
    public override Release ReleaseBy(IInvocationOperation call, Tracked tracked)
    {
        if (call.TargetMethod.Name is not (Names.PipeReader.AdvanceTo or Names.PipeReader.Complete or Names.PipeReader.CompleteAsync)
            || !FrameworkTypes.IsOrDerivesFrom(call.TargetMethod.ContainingType, types.PipeReader)
            || !tracked.CameFrom(call.Instance) && !AdvancesTheWrappedReader(call, tracked))
            return Release.None;
        return call.TargetMethod.Name == Names.PipeReader.AdvanceTo && ConsumesNothing(call, tracked) ? Release.KeepingMemory : Release.Idempotent;
    }

    /// <summary>
    /// A reader of the user's own that wraps another (a <c>PipeReader</c> subclass reading from itself, <c>TryRead(out
    /// var result)</c>) may advance the reader it wraps (<c>_inner.AdvanceTo(...)</c>, a field or property of its own).
    /// </summary>
    private bool AdvancesTheWrappedReader(IInvocationOperation release, Tracked tracked)
    {
        if (OperationShape.Unwrap(release.Instance) is not (IFieldReferenceOperation { Instance: IInstanceReferenceOperation } or IPropertyReferenceOperation { Instance: IInstanceReferenceOperation }))
            return false;
        foreach (var acquisition in tracked.Acquisitions)
        {
            if (acquisition.Instance is not IInstanceReferenceOperation self || !FrameworkTypes.IsOrDerivesFrom(self.Type, types.PipeReader))
                return false;
        }
        return tracked.Acquisitions.Count > 0;
    }

    private static bool ConsumesNothing(IInvocationOperation advance, Tracked tracked)
    {
        foreach (var argument in advance.Arguments)
        {
            if (argument.Parameter?.Ordinal == 0)
            {
                return OperationShape.Unwrap(argument.Value) is IPropertyReferenceOperation { Property.Name: Names.ReadOnlySequence.Start, Instance: var of }
                    && OperationShape.Unwrap(of) is IPropertyReferenceOperation { Property.Name: Names.ReadResult.Buffer } buffer
                    && tracked.Is(OperationShape.Unwrap(buffer.Instance));
            }
        }
        return false;
    }

    /// <summary>
    /// A final read (<c>result.IsCanceled</c> or <c>result.IsCompleted</c>): its reader is being shut down or has
    /// nothing more to give, and whoever ends it completes the reader, which ends the read.
    /// </summary>
    public override bool GivenUpWhen(IOperation condition, bool holds, Tracked tracked) =>
        holds && condition is IPropertyReferenceOperation { Property.Name: Names.ReadResult.IsCanceled or Names.ReadResult.IsCompleted } final
        && tracked.Is(OperationShape.Unwrap(final.Instance));

    /// <summary>A release (<c>AdvanceTo</c>, <c>Complete</c>) or another read names the reader, not the result.</summary>
    public override bool MayAffect(IOperation node) =>
        node is IInvocationOperation call && (Acquires(call) || call.TargetMethod.Name is Names.PipeReader.AdvanceTo or Names.PipeReader.Complete or Names.PipeReader.CompleteAsync);

    /// <summary>Another read from the reader the held one came from.</summary>
    public override bool SameSource(IInvocationOperation acquisition, Tracked tracked) => tracked.CameFrom(acquisition.Instance);


    /// <summary><c>result.Buffer</c>: reading IsCompleted or IsCanceled after the advance is fine.</summary>
    public override IOperation? UseAt(IOperation node, Tracked tracked) =>
        node is IPropertyReferenceOperation { Property.Name: Names.ReadResult.Buffer } buffer && tracked.Is(OperationShape.Unwrap(buffer.Instance)) ? buffer : null;

    /// <summary>
    /// The result's Buffer, and whatever is taken from a view of it: a slice, a segment (<c>First</c>, <c>FirstSpan</c>,
    /// its Span), a position (<c>Start</c>, <c>End</c>, <c>GetPosition</c>, <c>PositionOf</c>), a range, a
    /// <c>SequenceReader&lt;T&gt;</c> over it and the views of that reader. A copy (<c>ToArray</c>) or a length is no view.
    /// </summary>
    public override bool IsView(IOperation? value, Tracked tracked)
    {
        for (int depth = 0; value is not null && depth < 8; depth++)
        {
            switch (OperationShape.Unwrap(value))
            {
                case IPropertyReferenceOperation { Property.Name: Names.ReadResult.Buffer } buffer when tracked.Is(OperationShape.Unwrap(buffer.Instance)):
                    return true;
                case ILocalReferenceOperation local:
                    return tracked.IsViewLocal(local);
                case IPropertyReferenceOperation { Instance: { } of } projection when IsProjection(projection.Property.Name):
                    value = of;
                    break;
                case IInvocationOperation { TargetMethod.Name: Names.ReadOnlySequence.Slice or Names.SequencePosition.GetPosition or Names.SequencePosition.PositionOf, Instance: { } of }:
                    value = of;
                    break;
                case IObjectCreationOperation { Arguments.Length: > 0 } reader when types.IsReader(reader.Type):
                    value = reader.Arguments[0].Value;
                    break;
                case IImplicitIndexerReferenceOperation range:
                    value = range.Instance;
                    break;
                default:
                    return false;
            }
        }
        return false;
    }

    // Properties of a read buffer (or of a reader over it) that still point into its segments.
    private static bool IsProjection(string name) =>
        name is Names.ReadOnlySequence.First or Names.ReadOnlySequence.FirstSpan or Names.ReadOnlySequence.Start
            or Names.ReadOnlySequence.End or Names.Memory.Span or Names.SequenceReader.UnreadSpan
            or Names.SequenceReader.CurrentSpan or Names.SequenceReader.Sequence or Names.SequenceReader.UnreadSequence
            or Names.SequenceReader.Position;

    /// <summary>
    /// A call that is also handed the reader may advance it itself: the read goes with the reader. So may a method of
    /// the type that holds the reader in a field or property (<c>ConsumeBytes(result)</c> beside <c>_reader</c>).
    /// </summary>
    public override bool TakesOwnership(IArgumentOperation argument, Tracked tracked) =>
        base.TakesOwnership(argument, tracked)
        || argument.Parent is IInvocationOperation call
            && (call.Arguments.Any(other => other != argument && tracked.CameFrom(other.Value)) || ReachesReaderMember(call, tracked));

    private static bool ReachesReaderMember(IInvocationOperation call, Tracked tracked)
    {
        if (call.Instance is not (null or IInstanceReferenceOperation))
            return false;
        foreach (var acquisition in tracked.Acquisitions)
        {
            if (HolderOf(acquisition.Instance) is { } holder && FrameworkTypes.IsOrDerivesFrom(call.TargetMethod.ContainingType, holder.OriginalDefinition))
                return true;
        }
        return false;
    }

    /// <summary>The type whose field or property the reader is reached through (<c>_reader</c>, <c>_pipe.Reader</c>, <c>this.inner</c>), else null.</summary>
    private static INamedTypeSymbol? HolderOf(IOperation? reader)
    {
        for (int depth = 0; depth < 4; depth++)
        {
            switch (OperationShape.Unwrap(reader))
            {
                case IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field:
                    return field.Field.ContainingType;
                case IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation } property:
                    return property.Property.ContainingType;
                case IMemberReferenceOperation { Instance: { } owner }:
                    reader = owner;
                    break;
                default:
                    return null;
            }
        }
        return null;
    }

    /// <summary>A read's buffer returned or stored is handed on with the read: whoever gets it advances past it.</summary>
    public override bool ViewCarriesOwnership(IOperation view) => true;

    /// <summary><c>new ReadResult(result.Buffer.Slice(...), ...)</c> assigned back: the same read, narrowed (a reader that wraps another).</summary>
    public override bool CarriesOn(IOperation value, Tracked tracked) =>
        OperationShape.Unwrap(value) is IObjectCreationOperation { Arguments.Length: > 0 } created
        && SymbolEqualityComparer.Default.Equals(created.Type, types.ReadResult)
        && IsView(created.Arguments[0].Value, tracked);
}
