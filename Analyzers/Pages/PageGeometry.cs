using Folios.Analyzers.Engine;
using Folios.Analyzers.Values;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Pages;

/// <summary>
/// FOLIO008's two questions: which arithmetic hard-codes a page geometry (a literal page size, offset mask,
/// page mask or page shift), and which values of a body are buffer offsets (they flow into a helper's offset, a
/// folio index, or an index over page memory, or come from FolioIndex/OffsetInFolio).
/// </summary>
internal static class PageGeometry
{
    public enum Kind
    {
        Size,
        OffsetMask,
        PageMask,
        Shift,
    }

    /// <summary>A literal of a page geometry in arithmetic; <see cref="Other"/> is what it combines with.</summary>
    public readonly struct Candidate(IOperation literal, IOperation arithmetic, IOperation other, Kind kind)
    {
        public IOperation Literal { get; } = literal;
        public IOperation Arithmetic { get; } = arithmetic;
        public IOperation Other { get; } = other;
        public Kind Kind { get; } = kind;
    }

    /// <summary>Where a file's text holds a literal or shift FOLIO008 could report: found once per file, in the files that name Folios.</summary>
    public static readonly Vocabulary Literals = Vocabulary.OfScan("page geometry", FindGeometry, FoliosEntryPoints.Api);

    public static List<Candidate> Candidates(IOperation body)
    {
        var found = new List<Candidate>();
        foreach (var operation in OperationTrees.Of(body))
        {
            switch (operation)
            {
                case IBinaryOperation binary:
                    Add(found, binary, binary.OperatorKind, binary.LeftOperand, binary.RightOperand);
                    break;
                case ICompoundAssignmentOperation compound:
                    Add(found, compound, compound.OperatorKind, compound.Target, compound.Value);
                    break;
            }
        }
        return found;
    }

    private static void Add(List<Candidate> found, IOperation arithmetic, BinaryOperatorKind op, IOperation left, IOperation right)
    {
        if (KindOf(op, right, isRightOperand: true) is { } kind)
            found.Add(new Candidate(Unwrap(right), arithmetic, left, kind));
        else if (arithmetic is IBinaryOperation && KindOf(op, left, isRightOperand: false) is { } leftKind)
            found.Add(new Candidate(Unwrap(left), arithmetic, right, leftKind));
    }

    /// <summary>Only literals (and ~literal): a named constant is the project's own decision, e.g. a sector size.</summary>
    private static Kind? KindOf(BinaryOperatorKind op, IOperation operand, bool isRightOperand)
    {
        var value = Unwrap(operand);
        bool literal = value is ILiteralOperation || value is IUnaryOperation { OperatorKind: UnaryOperatorKind.BitwiseNegation, Operand: var inner } && Unwrap(inner) is ILiteralOperation;
        if (!literal || !ConstantValues.TryGetInt64(value, out long constant))
            return null;
        return op switch
        {
            BinaryOperatorKind.Multiply or BinaryOperatorKind.Divide or BinaryOperatorKind.Remainder or BinaryOperatorKind.Add or BinaryOperatorKind.Subtract
                when IsPageSize(constant) && (isRightOperand || op is BinaryOperatorKind.Multiply or BinaryOperatorKind.Add) => Kind.Size,
            BinaryOperatorKind.And when IsPageSize(constant + 1) => Kind.OffsetMask,
            BinaryOperatorKind.And when IsPageSize(-constant) || IsPageSize((long)(uint)~constant + 1) => Kind.PageMask,
            BinaryOperatorKind.LeftShift or BinaryOperatorKind.RightShift when isRightOperand && constant is 12 or 14 or 16 => Kind.Shift,
            _ => null,
        };
    }

    private static bool IsPageSize(long value) => value is 4096 or 16384 or 65536;

    /// <summary>
    /// Where a file's text holds a shift (<c>&lt;&lt;</c>, <c>&gt;&gt;</c>) or a number that <see cref="KindOf"/> could
    /// take for page geometry, in order: the places of <see cref="Literals"/>, found before any operation is built,
    /// since most members hold neither.
    /// </summary>
    private static void FindGeometry(string text, List<int> positions)
    {
        for (int i = 0; i < text.Length;)
        {
            char c = text[i];
            if ((c == '<' || c == '>') && i + 1 < text.Length && text[i + 1] == c)
            {
                positions.Add(i);
                i += 2;
                continue;
            }
            if (c is < '0' or > '9' || i > 0 && TextScan.IsWordCharacter(text[i - 1]))
            {
                i++;
                continue;
            }
            int first = i;
            while (i < text.Length && TextScan.IsWordCharacter(text[i]))
                i++;
            if (TryParseLiteral(text, first, i, out long value) && (IsPageSize(value) || IsPageSize(value + 1) || IsPageSize((long)(uint)~value + 1)))
                positions.Add(first);
        }
    }

    /// <summary>A decimal or hex integer literal with digit separators and an optional u/l suffix; a 16-digit hex literal wraps as C# reads it into a long.</summary>
    private static bool TryParseLiteral(string text, int start, int end, out long value)
    {
        value = 0;
        while (end > start && text[end - 1] is 'u' or 'U' or 'l' or 'L')
            end--;
        bool hex = end - start > 2 && text[start] == '0' && text[start + 1] is 'x' or 'X';
        int digits = 0;
        for (int i = hex ? start + 2 : start; i < end; i++)
        {
            char c = text[i];
            if (c == '_')
                continue;
            int digit = c is >= '0' and <= '9' ? c - '0' : hex && c is >= 'a' and <= 'f' ? c - 'a' + 10 : hex && c is >= 'A' and <= 'F' ? c - 'A' + 10 : -1;
            if (digit < 0 || ++digits > (hex ? 16 : 18))
                return false;
            value = unchecked(value * (hex ? 16 : 10) + digit);
        }
        return digits > 0;
    }

    /// <summary>The values of one body that are buffer offsets.</summary>
    public sealed class Offsets
    {
        private readonly HashSet<ISymbol> _symbols = new(SymbolEqualityComparer.Default);
        private readonly HashSet<IOperation> _sinks = new();

        public Offsets(IOperation body, FoliosTypes types)
        {
            var assignments = new List<(ISymbol Target, IOperation Value)>();
            foreach (var operation in OperationTrees.Of(body))
            {
                switch (operation)
                {
                    case IArgumentOperation argument when IsSink(argument, types):
                        _sinks.Add(argument);
                        AddReferences(argument.Value);
                        break;
                    case IVariableDeclaratorOperation { Initializer.Value: { } value } declarator:
                        assignments.Add((declarator.Symbol, value));
                        break;
                    case IAssignmentOperation { Target: ILocalReferenceOperation or IParameterReferenceOperation } assignment:
                        assignments.Add((Symbol(assignment.Target)!, assignment.Value));
                        break;
                }
            }
            // Values flow both ways through assignments: an offset's ingredients are offsets, and so is what an
            // offset is computed into, and a FolioIndex/OffsetInFolio result.
            for (bool changed = true; changed;)
            {
                changed = false;
                foreach (var (target, value) in assignments)
                {
                    if (_symbols.Contains(target))
                        changed |= AddReferences(value);
                    else if (Mentions(value))
                        changed |= _symbols.Add(target);
                }
            }
        }

        /// <summary>The arithmetic's result lands in an offset: a helper's argument or an offset variable.</summary>
        public bool Receives(IOperation arithmetic)
        {
            var current = arithmetic;
            for (var parent = current.Parent; parent is not null; current = parent, parent = parent.Parent)
            {
                switch (parent)
                {
                    case IBinaryOperation or IParenthesizedOperation or IConversionOperation or IUnaryOperation or ICompoundAssignmentOperation:
                        if (parent is ICompoundAssignmentOperation compound && Mentions(compound.Target))
                            return true;
                        continue;
                    case IArgumentOperation argument:
                        return _sinks.Contains(argument);
                    case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                        return _symbols.Contains(declarator.Symbol);
                    case ISimpleAssignmentOperation assignment when assignment.Value == current:
                        return Symbol(assignment.Target) is { } target && _symbols.Contains(target);
                    default:
                        return false;
                }
            }
            return false;
        }

        /// <summary>The operand is, or is computed from, a buffer offset.</summary>
        public bool Mentions(IOperation operand)
        {
            foreach (var node in operand.DescendantsAndSelf())
            {
                if (Symbol(node) is { } symbol && _symbols.Contains(symbol))
                    return true;
                if (node is IInvocationOperation { TargetMethod.Name: Names.ExtentBuffer.FolioIndex or Names.ExtentBuffer.OffsetInFolio })
                    return true;
            }
            return false;
        }

        private bool AddReferences(IOperation value)
        {
            bool added = false;
            foreach (var node in value.DescendantsAndSelf())
            {
                if (node is IAnonymousFunctionOperation)
                    break;
                if (Symbol(node) is { } symbol)
                    added |= _symbols.Add(symbol);
            }
            return added;
        }
    }

    /// <summary>A helper's offset parameter, GetFolio's index, or an index or slice start over page memory.</summary>
    private static bool IsSink(IArgumentOperation argument, FoliosTypes types)
    {
        if (argument.Parameter is not { } parameter)
            return false;
        if (SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol?.ContainingType, types.ExtentBuffer))
            return FoliosEntryPoints.IsOffsetParameter(parameter.Name);
        return argument.Parent switch
        {
            IPropertyReferenceOperation { Property.IsIndexer: true } indexer => IsPageMemory(indexer.Instance, types),
            IInvocationOperation { TargetMethod.Name: Names.Span.Slice } slice => IsPageMemory(slice.Instance, types),
            _ => false,
        };
    }

    /// <summary>A span of a folio, a mapping, or a [RawPageAccess] member, possibly sliced or held in a local.</summary>
    private static bool IsPageMemory(IOperation? span, FoliosTypes types)
    {
        for (int depth = 0; depth < 8 && (span = OperationShape.Unwrap(span)) is not null; depth++)
        {
            switch (span)
            {
                case IPropertyReferenceOperation { Property.Name: Names.Folio.Span } property:
                    var owner = property.Instance?.Type;
                    return SymbolEqualityComparer.Default.Equals(owner, types.Folio) || SymbolEqualityComparer.Default.Equals(owner, types.PageMapping);
                case IPropertyReferenceOperation property when FoliosTypes.HasAttribute(property.Property, types.RawPageAccessAttribute):
                    return true;
                case IInvocationOperation call when FoliosTypes.HasAttribute(call.TargetMethod, types.RawPageAccessAttribute):
                    return true;
                case IInvocationOperation { TargetMethod.Name: Names.Span.Slice } slice:
                    span = slice.Instance;
                    break;
                case ILocalReferenceOperation local:
                    span = ConstantValues.SingleAssignedValue(local);
                    break;
                default:
                    return false;
            }
        }
        return false;
    }

    private static ISymbol? Symbol(IOperation operation) => operation switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        _ => null,
    };

    private static IOperation Unwrap(IOperation operation) => OperationShape.Unwrap(operation)!;
}
