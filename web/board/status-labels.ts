// How the board shows a status: a tone (its colour) and a short label, per source and value. Values are the API's
// enum names (REGISTRATION_PENDING, ACTIVE, SUCCEEDED…); null means the account has no such status.
import type { StatusSource } from '../../examples/generated/graphql.js';

export type Tone = 'good' | 'pending' | 'bad' | 'idle' | 'error' | 'unknown';

export const TONE_LABELS: Record<Tone, string> = {
  good: 'Done',
  pending: 'In progress',
  bad: 'Failed',
  idle: 'None',
  error: 'Read error',
  unknown: 'Unknown',
};

interface Look {
  readonly tone: Tone;
  readonly label: string;
}

const LOOKS: Record<StatusSource, Record<string, Look>> = {
  FLEETWISE_REGISTRATION: {
    REGISTRATION_SUCCESS: { tone: 'good', label: 'Registered' },
    REGISTRATION_PENDING: { tone: 'pending', label: 'Registering' },
    REGISTRATION_FAILURE: { tone: 'bad', label: 'Registration failed' },
    NONE: { tone: 'idle', label: 'Not registered' },
  },
  COMPUTE_OPTIMIZER_ENROLLMENT: {
    ACTIVE: { tone: 'good', label: 'Enrolled' },
    PENDING: { tone: 'pending', label: 'Enrolling' },
    FAILED: { tone: 'bad', label: 'Enrollment failed' },
    INACTIVE: { tone: 'idle', label: 'Not enrolled' },
    NONE: { tone: 'idle', label: 'No enrollment' },
  },
  CREATION_REQUEST: {
    SUCCEEDED: { tone: 'good', label: 'Created' },
    IN_PROGRESS: { tone: 'pending', label: 'Creating' },
    FAILED: { tone: 'bad', label: 'Creation failed' },
    NONE: { tone: 'idle', label: 'Invited' },
  },
};

/** The summary's word for "no status" and for "could not be read". */
export const NO_STATUS = 'NONE';
export const READ_ERROR = 'ERROR';

export function lookOf(source: StatusSource, value: string | null): Look {
  if (value === READ_ERROR) return { tone: 'error', label: 'Read error' };
  return LOOKS[source][value ?? NO_STATUS] ?? { tone: 'unknown', label: value ?? NO_STATUS };
}

export const SOURCE_TITLES: Record<StatusSource, string> = {
  FLEETWISE_REGISTRATION: 'IoT FleetWise',
  COMPUTE_OPTIMIZER_ENROLLMENT: 'Compute Optimizer',
  CREATION_REQUEST: 'Creation request',
};

/** Display order of the columns. */
export const SOURCE_ORDER: readonly StatusSource[] = ['FLEETWISE_REGISTRATION', 'COMPUTE_OPTIMIZER_ENROLLMENT', 'CREATION_REQUEST'];
