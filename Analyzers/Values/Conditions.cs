using System.Collections.Immutable;
using Folios.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Values;

/// <summary>
/// What a condition establishes, read once for every rule: each rule asks "what holds where this condition is true
/// (or false)" or "what holds at this operation", and gets <see cref="Fact"/>s (<c>subject relation value</c>) instead
/// of matching the condition's shape itself. <c>!x</c>, <c>x is false</c>, <c>x == false</c> and <c>x != true</c>
/// give the same fact; so do <c>n &gt;= 8</c>, <c>8 &lt;= n</c>, <c>n is &gt;= 8</c> and a switch arm <c>&gt;= 8 =&gt;</c>;
/// property patterns give facts about members (<c>s is { IsSingleSegment: true, Length: &gt;= 8 }</c>), list patterns
/// about the length (<c>span is [0x89, ..]</c>: Length &gt;= 1). A conjunction gives its parts where it holds, a
/// disjunction where it fails; neither gives anything the other way.
/// </summary>
internal static class Conditions
{
    /// <summary>The facts that hold where <paramref name="condition"/> evaluated to <paramref name="holds"/>.</summary>
    public static List<Fact> Establish(IOperation condition, bool holds)
    {
        var facts = new List<Fact>();
        Add(condition, holds, facts, 0);
        return facts;
    }

    /// <summary>The facts that hold where <paramref name="pattern"/> matched <paramref name="value"/> (or failed to).</summary>
    public static List<Fact> Establish(IOperation value, IPatternOperation pattern, bool matched)
    {
        var facts = new List<Fact>();
        AddPattern(new Subject(value), pattern, matched, facts, pattern);
        return facts;
    }

    /// <summary>
    /// The facts established on every way into <paramref name="operation"/> by the code around it and before it, read
    /// from the structure of the member: the branch of an <c>if</c> or <c>?:</c> it sits in, the right side of
    /// <c>&amp;&amp;</c> and <c>||</c>, a switch arm or case (its pattern, its <c>when</c> clause, and the unguarded
    /// arms before it, which failed), the body of a <c>while</c> or <c>for</c>, and in each enclosing statement list
    /// the statements before it: an <c>if</c> whose branch always leaves (return, throw, break, continue, a call to a
    /// <c>[DoesNotReturn]</c> method), and <c>Debug.Assert</c> (the author's statement of what holds). A check after
    /// the operation establishes nothing. The walk stops at a lambda or local function, which may run at any time.
    /// Each fact's <see cref="Fact.Origin"/> is where it was tested: a rule that knows what writes its subject asks
    /// whether a write falls between that and the operation.
    /// </summary>
    public static List<Fact> At(IOperation operation)
    {
        var facts = new List<Fact>();
        for (var node = operation; node.Parent is { } parent; node = parent)
        {
            switch (parent)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return facts;
                case IConditionalOperation conditional when node == conditional.WhenTrue:
                    Add(conditional.Condition, true, facts, 0);
                    break;
                case IConditionalOperation conditional when node == conditional.WhenFalse:
                    Add(conditional.Condition, false, facts, 0);
                    break;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } conjunction when node == conjunction.RightOperand:
                    Add(conjunction.LeftOperand, true, facts, 0);
                    break;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } disjunction when node == disjunction.RightOperand:
                    Add(disjunction.LeftOperand, false, facts, 0);
                    break;
                case ISwitchExpressionArmOperation arm when arm.Parent is ISwitchExpressionOperation choice && (node == arm.Value || node == arm.Guard):
                    AddArm(choice, arm, node == arm.Value, facts);
                    break;
                case ISwitchCaseOperation section when section.Parent is ISwitchOperation statement && section.Body.Contains(node):
                    AddSection(statement, section, facts);
                    AddBefore(section.Body, node, facts);
                    break;
                case IWhileLoopOperation { ConditionIsTop: true, Condition: { } condition } loop when node == loop.Body:
                    Add(condition, !loop.ConditionIsUntil, facts, 0);
                    break;
                case IForLoopOperation { Condition: { } condition } loop when node == loop.Body:
                    Add(condition, true, facts, 0);
                    break;
                case IBlockOperation block:
                    AddBefore(block.Operations, node, facts);
                    break;
            }
        }
        return facts;
    }

    /// <summary>Whether a statement always leaves the statement list it is in (so the code after it runs only when it was not reached).</summary>
    public static bool AlwaysLeaves(IOperation? statement) => statement switch
    {
        IReturnOperation or IThrowOperation or IBranchOperation => true,
        IExpressionStatementOperation { Operation: IThrowOperation } => true,
        IExpressionStatementOperation { Operation: IInvocationOperation call } => DoesNotReturn(call.TargetMethod),
        IBlockOperation { Operations.Length: > 0 } block => AlwaysLeaves(block.Operations[block.Operations.Length - 1]),
        _ => false,
    };

    private static bool DoesNotReturn(IMethodSymbol method)
    {
        foreach (var attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass is { Name: Names.Flow.DoesNotReturnAttribute })
                return true;
        }
        return false;
    }

    /// <summary>The facts of the statements before <paramref name="node"/> in a statement list: exits taken on a condition, and assertions.</summary>
    private static void AddBefore(ImmutableArray<IOperation> statements, IOperation node, List<Fact> facts)
    {
        foreach (var statement in statements)
        {
            if (statement == node)
                return;
            switch (statement)
            {
                case IConditionalOperation { WhenTrue: var whenTrue, WhenFalse: var whenFalse } early:
                    bool trueLeaves = AlwaysLeaves(whenTrue), falseLeaves = whenFalse is not null && AlwaysLeaves(whenFalse);
                    if (trueLeaves != falseLeaves)
                        Add(early.Condition, !trueLeaves, facts, 0);
                    break;
                case IExpressionStatementOperation { Operation: IInvocationOperation { TargetMethod: { Name: Names.Debug.Assert, ContainingType.Name: Names.Debug.TypeName }, Arguments.Length: > 0 } assert }:
                    Add(assert.Arguments[0].Value, true, facts, 0);
                    break;
            }
        }
    }

    /// <summary>
    /// A switch arm reached: its pattern matched the value (and for the arm's value, its <c>when</c> held), and every
    /// arm before it without a <c>when</c> failed to match.
    /// </summary>
    private static void AddArm(ISwitchExpressionOperation choice, ISwitchExpressionArmOperation reached, bool guardHeld, List<Fact> facts)
    {
        var subject = new Subject(choice.Value);
        foreach (var arm in choice.Arms)
        {
            if (arm == reached)
                break;
            if (arm.Guard is null)
                AddPattern(subject, arm.Pattern, false, facts, arm.Pattern);
        }
        AddPattern(subject, reached.Pattern, true, facts, reached.Pattern);
        if (guardHeld && reached.Guard is { } guard)
            Add(guard, true, facts, 0);
    }

    /// <summary>
    /// A switch section entered: when it has one label, that label matched (and its <c>when</c> held); every unguarded
    /// label of the sections before it failed, and a <c>default</c> section is entered only after every label failed.
    /// </summary>
    private static void AddSection(ISwitchOperation statement, ISwitchCaseOperation entered, List<Fact> facts)
    {
        var subject = new Subject(statement.Value);
        bool isDefault = entered.Clauses.Any(clause => clause is IDefaultCaseClauseOperation);
        foreach (var section in statement.Cases)
        {
            if (section == entered && !isDefault)
                break;
            if (section == entered)
                continue;
            foreach (var clause in section.Clauses)
                AddClause(subject, clause, false, facts);
        }
        if (!isDefault && entered.Clauses.Length == 1)
            AddClause(subject, entered.Clauses[0], true, facts);
    }

    private static void AddClause(Subject subject, ICaseClauseOperation clause, bool matched, List<Fact> facts)
    {
        switch (clause)
        {
            case IPatternCaseClauseOperation { Guard: null } pattern:
                AddPattern(subject, pattern.Pattern, matched, facts, pattern.Pattern);
                break;
            case IPatternCaseClauseOperation { Guard: { } guard } pattern when matched:
                AddPattern(subject, pattern.Pattern, true, facts, pattern.Pattern);
                Add(guard, true, facts, 0);
                break;
            case ISingleValueCaseClauseOperation single:
                AddRelation(subject, matched ? BinaryOperatorKind.Equals : BinaryOperatorKind.NotEquals, single.Value, default, facts, single.Value);
                break;
            case IRelationalCaseClauseOperation relational when matched || IsOrdered(subject.Type):
                AddRelation(subject, matched ? relational.Relation : Negate(relational.Relation), relational.Value, default, facts, relational.Value);
                break;
        }
    }

    private static void Add(IOperation? condition, bool holds, List<Fact> facts, int depth)
    {
        condition = OperationShape.Unwrap(condition);
        if (condition is null || depth > 8)
            return;
        switch (condition)
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } negation:
                Add(negation.Operand, !holds, facts, depth + 1);
                return;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.And } both when IsBoolean(both.Type):
                if (holds)
                {
                    Add(both.LeftOperand, true, facts, depth + 1);
                    Add(both.RightOperand, true, facts, depth + 1);
                }
                return;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr or BinaryOperatorKind.Or } either when IsBoolean(either.Type):
                if (!holds)
                {
                    Add(either.LeftOperand, false, facts, depth + 1);
                    Add(either.RightOperand, false, facts, depth + 1);
                }
                return;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ExclusiveOr } when IsBoolean(condition.Type):
                return;
            case IBinaryOperation comparison when IsRelation(comparison.OperatorKind):
                AddComparison(comparison, holds, facts, depth);
                return;
            case IIsPatternOperation test:
                AddPattern(new Subject(test.Value), test.Pattern, holds, facts, test, depth);
                return;
            case IIsTypeOperation typeTest when holds && typeTest.ValueOperand.Type is { IsReferenceType: true }:
                AddRelation(new Subject(typeTest.ValueOperand), BinaryOperatorKind.NotEquals, null, Known(null), facts, typeTest);
                return;
            case IIsTypeOperation:
                return;
            case IIsNullOperation isNull:
                AddRelation(new Subject(isNull.Operand), holds ? BinaryOperatorKind.Equals : BinaryOperatorKind.NotEquals, null, Known(null), facts, isNull);
                return;
        }
        if (!IsBoolean(condition.Type))
            return;
        AddRelation(new Subject(condition), BinaryOperatorKind.Equals, null, Known(holds), facts, condition, depth);
    }

    /// <summary><c>a OP b</c>: a fact about each side that is not a constant (<c>8 &lt;= n</c> is read as <c>n &gt;= 8</c>).</summary>
    private static void AddComparison(IBinaryOperation comparison, bool holds, List<Fact> facts, int depth)
    {
        var kind = comparison.OperatorKind;
        if (!holds)
        {
            // An ordering that fails says the opposite only of integers (a NaN fails every ordering).
            if (kind is not (BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals) && !(IsOrdered(comparison.LeftOperand.Type) && IsOrdered(comparison.RightOperand.Type)))
                return;
            kind = Negate(kind);
        }
        var left = OperationShape.Unwrap(comparison.LeftOperand)!;
        var right = OperationShape.Unwrap(comparison.RightOperand)!;
        if (!left.ConstantValue.HasValue)
            AddRelation(new Subject(left), kind, right, right.ConstantValue, facts, comparison, depth);
        if (!right.ConstantValue.HasValue)
            AddRelation(new Subject(right), Mirror(kind), left, left.ConstantValue, facts, comparison, depth);
    }

    private static void AddPattern(Subject subject, IPatternOperation pattern, bool matched, List<Fact> facts, IOperation origin, int depth = 0)
    {
        switch (pattern)
        {
            case INegatedPatternOperation negated:
                AddPattern(subject, negated.Pattern, !matched, facts, origin, depth);
                break;
            case IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.And } both:
                if (matched)
                {
                    AddPattern(subject, both.LeftPattern, true, facts, origin, depth);
                    AddPattern(subject, both.RightPattern, true, facts, origin, depth);
                }
                break;
            case IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.Or } either:
                if (!matched)
                {
                    AddPattern(subject, either.LeftPattern, false, facts, origin, depth);
                    AddPattern(subject, either.RightPattern, false, facts, origin, depth);
                }
                break;
            case IConstantPatternOperation constant:
                var value = OperationShape.Unwrap(constant.Value)!;
                AddRelation(subject, matched ? BinaryOperatorKind.Equals : BinaryOperatorKind.NotEquals, value, value.ConstantValue, facts, origin, depth);
                break;
            case IRelationalPatternOperation relational when matched || IsOrdered(subject.Type):
                var bound = OperationShape.Unwrap(relational.Value)!;
                AddRelation(subject, matched ? relational.OperatorKind : Negate(relational.OperatorKind), bound, bound.ConstantValue, facts, origin, depth);
                break;
            case IRecursivePatternOperation recursive:
                AddRecursive(subject, recursive, matched, facts, origin, depth);
                break;
            case IListPatternOperation list when matched && list.LengthSymbol is { } length:
                int elements = 0;
                bool open = false;
                foreach (var element in list.Patterns)
                {
                    if (element is ISlicePatternOperation)
                        open = true;
                    else
                        elements++;
                }
                AddRelation(subject.Member(length), open ? BinaryOperatorKind.GreaterThanOrEqual : BinaryOperatorKind.Equals, null, Known(elements), facts, origin, depth);
                break;
            case ITypePatternOperation or IDeclarationPatternOperation when matched && subject.Type is { IsReferenceType: true }:
                AddRelation(subject, BinaryOperatorKind.NotEquals, null, Known(null), facts, origin, depth);
                break;
        }
    }

    /// <summary>
    /// <c>{ A: p, B: q }</c> and <c>(p, q)</c>: where it matched, every part did; where it failed, the one part there is
    /// failed (when the value cannot be null, which would fail it as well).
    /// </summary>
    private static void AddRecursive(Subject subject, IRecursivePatternOperation recursive, bool matched, List<Fact> facts, IOperation origin, int depth)
    {
        int parts = recursive.PropertySubpatterns.Length + recursive.DeconstructionSubpatterns.Count(part => part is not IDiscardPatternOperation);
        if (!matched && (parts != 1 || subject.Type is not { IsValueType: true } || subject.Type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T))
            return;
        if (matched && subject.Type is { IsReferenceType: true })
            AddRelation(subject, BinaryOperatorKind.NotEquals, null, Known(null), facts, origin, depth);
        foreach (var property in recursive.PropertySubpatterns)
        {
            if (MembersOf(property.Member) is { } members)
                AddPattern(subject.Member(members), property.Pattern, matched, facts, origin, depth);
        }
        var positions = recursive.DeconstructionSubpatterns;
        if (subject.Members.IsEmpty && subject.Root is ITupleOperation tuple && tuple.Elements.Length == positions.Length)
        {
            for (int i = 0; i < positions.Length; i++)
                AddPattern(new Subject(tuple.Elements[i]), positions[i], matched, facts, origin, depth);
        }
    }

    /// <summary>The members a property subpattern reads from the pattern's input (<c>A.B: p</c> reads A, then B).</summary>
    private static ImmutableArray<ISymbol>? MembersOf(IOperation member)
    {
        var chain = ImmutableArray.CreateBuilder<ISymbol>();
        for (var current = member; ;)
        {
            switch (current)
            {
                case IPropertyReferenceOperation { Property.IsIndexer: false } property:
                    chain.Insert(0, property.Property);
                    current = property.Instance;
                    continue;
                case IFieldReferenceOperation field:
                    chain.Insert(0, field.Field);
                    current = field.Instance;
                    continue;
                case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.PatternInput }:
                    return chain.ToImmutable();
                default:
                    return null;
            }
        }
    }

    private static void AddRelation(Subject subject, BinaryOperatorKind relation, IOperation? value, Optional<object?> constant, List<Fact> facts, IOperation origin, int depth = 0)
    {
        // x != true of a bool that cannot be null is x == false.
        if (relation == BinaryOperatorKind.NotEquals && constant.HasValue && constant.Value is bool flag && subject.Type?.SpecialType == SpecialType.System_Boolean)
            (relation, value, constant) = (BinaryOperatorKind.Equals, null, Known(!flag));
        facts.Add(new Fact(subject, relation, value, constant, origin));
        // A flag computed once and tested later, however the test is written (`!ok`, `ok is false`, `ok == false`):
        // what its value says holds where the local is tested (a rule that tracks writes asks about them from the
        // Origin, in the initializer).
        if (relation == BinaryOperatorKind.Equals && constant.HasValue && constant.Value is bool truth
            && subject.Operation is ILocalReferenceOperation { Local.Type.SpecialType: SpecialType.System_Boolean } local
            && ConstantValues.SingleAssignedValue(local) is { } assigned)
            Add(assigned, truth, facts, depth + 1);
    }

    private static Optional<object?> Known(object? constant) => new(constant);

    private static bool IsBoolean(ITypeSymbol? type) =>
        type?.SpecialType == SpecialType.System_Boolean
        || type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T, TypeArguments: { Length: 1 } arguments } && arguments[0].SpecialType == SpecialType.System_Boolean;

    /// <summary>Integers, chars and enums: where <c>a &lt; b</c> fails, <c>a &gt;= b</c> holds.</summary>
    private static bool IsOrdered(ITypeSymbol? type) =>
        type is not null && (type.TypeKind == TypeKind.Enum || type.SpecialType is >= SpecialType.System_Char and <= SpecialType.System_UInt64 or SpecialType.System_IntPtr or SpecialType.System_UIntPtr);

    private static bool IsRelation(BinaryOperatorKind kind) => kind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals
        or BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual;

    /// <summary><c>a OP b</c> as <c>b OP' a</c>.</summary>
    public static BinaryOperatorKind Mirror(BinaryOperatorKind kind) => kind switch
    {
        BinaryOperatorKind.LessThan => BinaryOperatorKind.GreaterThan,
        BinaryOperatorKind.LessThanOrEqual => BinaryOperatorKind.GreaterThanOrEqual,
        BinaryOperatorKind.GreaterThan => BinaryOperatorKind.LessThan,
        BinaryOperatorKind.GreaterThanOrEqual => BinaryOperatorKind.LessThanOrEqual,
        _ => kind,
    };

    /// <summary>The relation that holds where <c>a OP b</c> fails (of integers).</summary>
    public static BinaryOperatorKind Negate(BinaryOperatorKind kind) => kind switch
    {
        BinaryOperatorKind.LessThan => BinaryOperatorKind.GreaterThanOrEqual,
        BinaryOperatorKind.LessThanOrEqual => BinaryOperatorKind.GreaterThan,
        BinaryOperatorKind.GreaterThan => BinaryOperatorKind.LessThanOrEqual,
        BinaryOperatorKind.GreaterThanOrEqual => BinaryOperatorKind.LessThan,
        BinaryOperatorKind.Equals => BinaryOperatorKind.NotEquals,
        BinaryOperatorKind.NotEquals => BinaryOperatorKind.Equals,
        _ => BinaryOperatorKind.None,
    };
}

/// <summary>
/// What a condition tests: an expression (<see cref="Root"/>, implicit conversions and parentheses removed), or a
/// member reached from it by a property pattern or a list pattern's length (<see cref="Members"/>, in order).
/// </summary>
internal readonly struct Subject
{
    public Subject(IOperation root)
        : this(OperationShape.Unwrap(root)!, ImmutableArray<ISymbol>.Empty)
    {
    }

    private Subject(IOperation root, ImmutableArray<ISymbol> members)
    {
        Root = root;
        Members = members;
    }

    public IOperation Root { get; }

    public ImmutableArray<ISymbol> Members { get; }

    /// <summary>The subject's type: its last member's, or the root's.</summary>
    public ITypeSymbol? Type => Members.IsEmpty ? Root.Type : Members[Members.Length - 1] switch
    {
        IPropertySymbol property => property.Type,
        IFieldSymbol stored => stored.Type,
        _ => null,
    };

    /// <summary>The expression itself, when no pattern member was applied to it.</summary>
    public IOperation? Operation => Members.IsEmpty ? Root : null;

    public Subject Member(ISymbol member) => new(Root, Members.Add(member));

    public Subject Member(ImmutableArray<ISymbol> members) => new(Root, Members.AddRange(members));

    /// <summary>
    /// The member the subject reads last and what it reads it from, however it was written: <c>s.Length</c> in an
    /// expression and <c>s is { Length: ... }</c> both give (Length, s). An explicit numeric cast around a member
    /// (<c>(int)s.Length</c>) is looked through: the rules ask about sizes, which such a cast keeps.
    /// </summary>
    public bool TryGetMember(out ISymbol member, out Subject owner)
    {
        if (!Members.IsEmpty)
        {
            member = Members[Members.Length - 1];
            owner = new Subject(Root, Members.RemoveAt(Members.Length - 1));
            return true;
        }
        switch (OperationShape.UnwrapNumeric(Root))
        {
            case IPropertyReferenceOperation { Instance: { } instance, Property.IsIndexer: false } property:
                (member, owner) = (property.Property, new Subject(instance));
                return true;
            case IFieldReferenceOperation { Instance: { } instance } field:
                (member, owner) = (field.Field, new Subject(instance));
                return true;
            default:
                (member, owner) = (null!, default);
                return false;
        }
    }

    public override string ToString() => Members.IsEmpty ? Root.Syntax.ToString() : Root.Syntax + "." + string.Join(".", Members.Select(m => m.Name));
}

/// <summary>
/// One thing a condition establishes: <c><see cref="Subject"/> <see cref="Relation"/> value</c>, where the value is an
/// expression (<see cref="Value"/>) or a constant (<see cref="Constant"/>), or both for a constant expression.
/// Relations are <see cref="BinaryOperatorKind.Equals"/>, NotEquals, LessThan, LessThanOrEqual, GreaterThan and
/// GreaterThanOrEqual; a boolean subject's fact is <c>x Equals true</c> or <c>x Equals false</c>.
/// </summary>
internal readonly struct Fact
{
    public Fact(Subject subject, BinaryOperatorKind relation, IOperation? value, Optional<object?> constant, IOperation origin)
    {
        Subject = subject;
        Relation = relation;
        Value = value;
        Constant = constant;
        Origin = origin;
    }

    public Subject Subject { get; }

    public BinaryOperatorKind Relation { get; }

    /// <summary>The expression the subject is compared with; null for a constant a pattern or a negation implies.</summary>
    public IOperation? Value { get; }

    public Optional<object?> Constant { get; }

    /// <summary>The test that established the fact (the comparison, the <c>is</c> expression, the arm's pattern).</summary>
    public IOperation Origin { get; }

    /// <summary>Whether the fact says the subject is <paramref name="value"/> (a boolean subject).</summary>
    public bool IsBoolean(out bool value)
    {
        value = Constant.HasValue && Constant.Value is true;
        return Relation == BinaryOperatorKind.Equals && Constant.HasValue && Constant.Value is bool;
    }

    /// <summary>The integer the subject is compared with, when it is a constant (folded through <see cref="ConstantValues"/>).</summary>
    public bool TryGetInt64(out long value)
    {
        if (Constant.HasValue && Constant.Value is int or long or short or byte or uint or ushort or sbyte or char)
        {
            value = Convert.ToInt64(Constant.Value, System.Globalization.CultureInfo.InvariantCulture);
            return true;
        }
        return ConstantValues.TryGetInt64(Value, out value);
    }

    /// <summary>The least integer the subject can be (<c>&gt;= c</c>, <c>&gt; c</c>, <c>== c</c>); null when the fact gives none.</summary>
    public long? LowerBound => TryGetInt64(out long value) ? Relation switch
    {
        BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.Equals => value,
        BinaryOperatorKind.GreaterThan => value + 1,
        _ => null,
    } : null;

    /// <summary>The greatest integer the subject can be (<c>&lt;= c</c>, <c>&lt; c</c>, <c>== c</c>); null when the fact gives none.</summary>
    public long? UpperBound => TryGetInt64(out long value) ? Relation switch
    {
        BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.Equals => value,
        BinaryOperatorKind.LessThan => value - 1,
        _ => null,
    } : null;

    /// <summary>Whether the fact says the subject is not null (<c>x != null</c>, <c>x is { }</c>, <c>x is T t</c>).</summary>
    public bool IsNotNull => Relation == BinaryOperatorKind.NotEquals && Constant.HasValue && Constant.Value is null;

    /// <summary>Whether the fact says the subject is null.</summary>
    public bool IsNull => Relation == BinaryOperatorKind.Equals && Constant.HasValue && Constant.Value is null;

    public override string ToString() => $"{Subject} {Relation} {(Constant.HasValue ? Constant.Value ?? "null" : Value?.Syntax.ToString())}";
}
