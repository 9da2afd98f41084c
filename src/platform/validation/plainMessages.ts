import { z } from 'zod';

/**
 * Plain-English fallbacks for any check that was not given its own message,
 * so nobody ever reads "Invalid input: expected number, received NaN". Each
 * schema should still say what its field is; these only stop zod's wording
 * (and field keys) from reaching a page or an API answer. Installed once, on
 * import, for the whole process.
 */
z.config({
  customError(issue) {
    switch (issue.code) {
      case 'invalid_type':
        if (issue.expected === 'number' || issue.expected === 'int') return 'Enter a number, like 2';
        if (issue.expected === 'boolean') return 'Answer yes or no';
        if (issue.expected === 'array') return 'Choose from the list';
        if (issue.expected === 'object') return 'Give these answers together, as a group';
        if (issue.input === undefined) return 'Enter an answer';
        return 'Enter this as text';
      case 'too_small':
        if (issue.origin === 'string')
          return Number(issue.minimum) <= 1 ? 'Enter an answer' : `Enter at least ${issue.minimum} characters`;
        if (issue.origin === 'array' || issue.origin === 'set')
          return Number(issue.minimum) <= 1 ? 'Choose at least one' : `Choose at least ${issue.minimum}`;
        return `Enter ${issue.minimum} or more`;
      case 'too_big':
        if (issue.origin === 'string')
          return `Enter ${Number(issue.maximum).toLocaleString('en-GB')} characters or fewer`;
        if (issue.origin === 'array' || issue.origin === 'set') return `Give no more than ${issue.maximum}`;
        return `Enter ${issue.maximum} or less`;
      case 'invalid_value':
        return 'Choose one of the options';
      case 'invalid_format':
        return issue.format === 'email'
          ? 'Enter an email address like name@example.com'
          : 'Check how this is written and try again';
      case 'not_multiple_of':
        return 'Enter a whole number';
      case 'unrecognized_keys':
        return 'Remove the answers this form does not ask for';
      default:
        return 'Check this answer and try again';
    }
  },
});

export {};
