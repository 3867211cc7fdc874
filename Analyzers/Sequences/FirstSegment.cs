using Folios.Analyzers.Engine;
using Folios.Analyzers.Values;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Sequences;

/// <summary>
/// A view of a sequence's first segment (<c>seq.FirstSpan</c>, <c>seq.First</c>), or of a reader's current one
/// (<c>reader.UnreadSpan</c>, <c>reader.CurrentSpan</c>), and the sequence or reader it belongs to; or the span or
/// memory a buffer writer handed out (<c>writer.GetSpan(4)</c>), which like a segment holds at least what is known
/// of it and more only when its Length says so (FOLIO016).
/// Sequences are told apart by their expression's text (<c>buffer</c>, <c>result.Buffer</c>, <c>this._data</c> as
/// <c>_data</c>): guards and reads name the sequence the same way, whatever kind of symbol holds it.
/// </summary>
internal sealed class FirstSegment
{
    /// <summary>
    /// Where code names a segment view as a property (<c>.FirstSpan</c>, <c>.First</c> not called, <c>.UnreadSpan</c>,
    /// <c>.CurrentSpan</c>): the places of FOLIO010.
    /// </summary>
    public static readonly Vocabulary Views = Vocabulary.OfWords("segment views",
        static _ => [Names.ReadOnlySequence.First, Names.ReadOnlySequence.FirstSpan, Names.SequenceReader.UnreadSpan, Names.SequenceReader.CurrentSpan],
        static (text, start, end) => TextScan.Before(text, start) == '.' && TextScan.After(text, end) != '(');

    private FirstSegment(IOperation source, IOperation sequence, string key, bool ofReader, long? hint = null)
    {
        Source = source;
        Sequence = sequence;
        Key = key;
        OfReader = ofReader;
        Hint = hint;
    }

    /// <summary>The <c>FirstSpan</c> or <c>First</c> property reference, or the writer's <c>GetSpan</c> or <c>GetMemory</c> call.</summary>
    public IOperation Source { get; }

    /// <summary>The sequence expression the segment is taken from, the SequenceReader for its raw views, or the writer.</summary>
    public IOperation Sequence { get; }

    /// <summary>For a writer's span, the elements it holds at least (its size hint, and 1 for none or 0); null for a segment.</summary>
    public long? Hint { get; }

    public string Key { get; }

    /// <summary>
    /// A <c>SequenceReader&lt;T&gt;</c>'s <c>UnreadSpan</c> or <c>CurrentSpan</c>: the segment the reader is in,
    /// which changes whenever the reader moves, and which is never empty while the reader has data left.
    /// </summary>
    public bool OfReader { get; }

    /// <summary>What the message calls the view: "the first segment of 'buffer'", "the current segment of 'reader'".</summary>
    public string Description => (OfReader ? "the current segment of '" : "the first segment of '") + Sequence.Syntax + "'";

    public static FirstSegment? TryCreate(IPropertyReferenceOperation property, FrameworkTypes types)
    {
        // A property pattern's member reads the pattern's input, which has no expression of its own to name the sequence.
        if (property.Instance is not { } owner || owner is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.PatternInput })
            return null;
        if (property.Property.Name is Names.ReadOnlySequence.FirstSpan or Names.ReadOnlySequence.First && types.IsSequence(property.Property.ContainingType))
            return new FirstSegment(property, owner, KeyOf(owner), ofReader: false);
        if (property.Property.Name is Names.SequenceReader.UnreadSpan or Names.SequenceReader.CurrentSpan && types.IsReader(property.Property.ContainingType))
            return new FirstSegment(property, owner, KeyOf(owner), ofReader: true);
        return null;
    }

    /// <summary>
    /// A writer's <c>GetSpan(hint)</c> or <c>GetMemory(hint)</c> whose hint is a constant: it returns at least that many
    /// elements, and at least one for no hint or 0. A hint that is not constant bounds nothing the rule can compare.
    /// </summary>
    public static FirstSegment? OfWriter(IInvocationOperation call, FrameworkTypes types)
    {
        if (call.Instance is not { } writer || call.TargetMethod.Name is not (Names.BufferWriter.GetSpan or Names.BufferWriter.GetMemory)
            || !types.IsBufferWriter(call.TargetMethod.ContainingType))
            return null;
        long hint = 0;
        if (call.Arguments.Length > 0 && call.Arguments[0].ArgumentKind != ArgumentKind.DefaultValue && !ConstantValues.TryGetInt64(call.Arguments[0].Value, out hint))
            return null;
        return new FirstSegment(call, writer, KeyOf(writer), ofReader: false, Math.Max(hint, 1));
    }

    /// <summary>The text that names a sequence (or any expression): no whitespace, no <c>this.</c>.</summary>
    public static string KeyOf(IOperation operation)
    {
        string text = operation.Syntax.ToString();
        var key = new System.Text.StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (!char.IsWhiteSpace(c))
                key.Append(c);
        }
        string result = key.ToString();
        return result.StartsWith("this.", StringComparison.Ordinal) ? result.Substring(5) : result;
    }

    /// <summary>The text that names what a condition tests: its expression's, then the members a pattern read from it.</summary>
    public static string KeyOf(Subject subject)
    {
        string key = KeyOf(subject.Root);
        foreach (var member in subject.Members)
            key += "." + member.Name;
        return key;
    }

    /// <summary>The sequence this segment is taken from, named as <paramref name="key"/> names it (not the reader of a reader's view).</summary>
    public bool IsSequence(string key) => !OfReader && key == Key;

    /// <summary>
    /// When <paramref name="view"/> is this segment's span or memory (directly, sliced, reinterpreted, or through a local
    /// holding it), true; <paramref name="whole"/> says it is the whole segment counted in its own elements rather than a
    /// slice or a cast of it, and <paramref name="taken"/> is where the sequence (or reader) was read for it.
    /// </summary>
    public bool IsViewOf(IOperation? view, FrameworkTypes types, out bool whole, out IOperation? taken)
    {
        whole = true;
        taken = null;
        for (int depth = 0; depth < 8; depth++)
        {
            view = OperationShape.UnwrapNumeric(view);
            switch (view)
            {
                case ILocalReferenceOperation local:
                    view = ConstantValues.SingleAssignedValue(local);
                    continue;
                case IPropertyReferenceOperation { Property.Name: Names.Memory.Span } span when FrameworkTypes.IsMemoryType(span.Property.ContainingType):
                    view = span.Instance;
                    continue;
                case IInvocationOperation { TargetMethod.Name: Names.Span.Slice, Instance: { } sliced }:
                    whole = false;
                    view = sliced;
                    continue;
                case IInvocationOperation { TargetMethod.Name: Names.Decoders.Cast or Names.Decoders.AsBytes, Arguments.Length: 1 } cast when types.IsDecoder(cast):
                    whole = false;
                    view = cast.Arguments[0].Value;
                    continue;
                case IInvocationOperation handedOut when Hint is not null:
                    taken = handedOut;
                    return handedOut.Syntax == Source.Syntax;
                case IPropertyReferenceOperation { Property.Name: Names.ReadOnlySequence.FirstSpan or Names.ReadOnlySequence.First, Instance: { } sequence } first when types.IsSequence(first.Property.ContainingType):
                    taken = first;
                    return !OfReader && KeyOf(sequence) == Key;
                case IPropertyReferenceOperation { Property.Name: Names.SequenceReader.UnreadSpan or Names.SequenceReader.CurrentSpan, Instance: { } reader } raw when types.IsReader(raw.Property.ContainingType):
                    taken = raw;
                    return OfReader && raw.Property.Name == ((IPropertyReferenceOperation)Source).Property.Name && KeyOf(reader) == Key;
                default:
                    return false;
            }
        }
        return false;
    }

    /// <summary>
    /// Whether a subject names a view of this segment, however the condition wrote it: <c>span</c> (a local holding
    /// the view), <c>seq.FirstSpan</c>, or the members of a pattern (<c>seq is { FirstSpan.Length: ... }</c>).
    /// </summary>
    public bool IsViewOf(Subject subject, FrameworkTypes types, out bool whole, out IOperation? taken)
    {
        if (subject.Operation is { } view)
            return IsViewOf(view, types, out whole, out taken);
        whole = true;
        taken = null;
        return subject.TryGetMember(out var member, out var owner) && member is IPropertySymbol property
            && (property.Name is Names.ReadOnlySequence.FirstSpan or Names.ReadOnlySequence.First && types.IsSequence(property.ContainingType) && IsSequence(KeyOf(owner))
                || property.Name == Names.Memory.Span && FrameworkTypes.IsMemoryType(property.ContainingType) && IsViewOf(owner, types, out whole, out taken));
    }
}
