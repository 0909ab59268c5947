export type Json =
  | string
  | number
  | boolean
  | null
  | { [key: string]: Json | undefined }
  | Json[]

export type Database = {
  public: {
    Tables: {
      habit_completions: {
        Row: {
          completed_at: string
          habit_id: string
          id: number
          occurrence_at: string
          owner_id: string
          source: string
        }
        Insert: {
          completed_at?: string
          habit_id: string
          id?: never
          occurrence_at: string
          owner_id?: string
          source?: string
        }
        Update: {
          completed_at?: string
          habit_id?: string
          id?: never
          occurrence_at?: string
          owner_id?: string
          source?: string
        }
        Relationships: [
          {
            foreignKeyName: "habit_completions_habit_same_owner_fkey"
            columns: ["habit_id", "owner_id"]
            isOneToOne: false
            referencedRelation: "habits"
            referencedColumns: ["id", "owner_id"]
          },
          {
            foreignKeyName: "habit_completions_owner_id_fkey"
            columns: ["owner_id"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      habits: {
        Row: {
          action: string
          created_at: string
          duration_seconds: number
          id: string
          interval_days: number
          is_paused: boolean
          is_pleasant: boolean
          is_public: boolean
          next_reminder_at: string | null
          owner_id: string
          paused_reason: string | null
          place: string
          related_habit_id: string | null
          reward: string | null
          starts_on: string
          time: string
          updated_at: string
        }
        Insert: {
          action: string
          created_at?: string
          duration_seconds: number
          id?: string
          interval_days?: number
          is_paused?: boolean
          is_pleasant?: boolean
          is_public?: boolean
          next_reminder_at?: string | null
          owner_id?: string
          paused_reason?: string | null
          place: string
          related_habit_id?: string | null
          reward?: string | null
          starts_on?: string
          time: string
          updated_at?: string
        }
        Update: {
          action?: string
          created_at?: string
          duration_seconds?: number
          id?: string
          interval_days?: number
          is_paused?: boolean
          is_pleasant?: boolean
          is_public?: boolean
          next_reminder_at?: string | null
          owner_id?: string
          paused_reason?: string | null
          place?: string
          related_habit_id?: string | null
          reward?: string | null
          starts_on?: string
          time?: string
          updated_at?: string
        }
        Relationships: [
          {
            foreignKeyName: "habits_owner_id_fkey"
            columns: ["owner_id"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "habits_related_habit_same_owner_fkey"
            columns: ["related_habit_id", "owner_id"]
            isOneToOne: false
            referencedRelation: "habits"
            referencedColumns: ["id", "owner_id"]
          },
        ]
      }
      notifications: {
        Row: {
          attempts: number
          created_at: string
          due_at: string
          habit_id: string | null
          id: number
          kind: string
          last_error: string | null
          lease_until: string | null
          maybe_delivered_attempts: number
          next_attempt_at: string
          occurrence_at: string | null
          owner_id: string
          sent_at: string | null
          snoozed_from_id: number | null
          status: string
          telegram_message_id: number | null
          updated_at: string
        }
        Insert: {
          attempts?: number
          created_at?: string
          due_at: string
          habit_id?: string | null
          id?: never
          kind: string
          last_error?: string | null
          lease_until?: string | null
          maybe_delivered_attempts?: number
          next_attempt_at?: string
          occurrence_at?: string | null
          owner_id: string
          sent_at?: string | null
          snoozed_from_id?: number | null
          status?: string
          telegram_message_id?: number | null
          updated_at?: string
        }
        Update: {
          attempts?: number
          created_at?: string
          due_at?: string
          habit_id?: string | null
          id?: never
          kind?: string
          last_error?: string | null
          lease_until?: string | null
          maybe_delivered_attempts?: number
          next_attempt_at?: string
          occurrence_at?: string | null
          owner_id?: string
          sent_at?: string | null
          snoozed_from_id?: number | null
          status?: string
          telegram_message_id?: number | null
          updated_at?: string
        }
        Relationships: [
          {
            foreignKeyName: "notifications_habit_id_fkey"
            columns: ["habit_id"]
            isOneToOne: false
            referencedRelation: "habits"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "notifications_owner_id_fkey"
            columns: ["owner_id"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "notifications_snoozed_from_id_fkey"
            columns: ["snoozed_from_id"]
            isOneToOne: true
            referencedRelation: "notifications"
            referencedColumns: ["id"]
          },
        ]
      }
      profiles: {
        Row: {
          created_at: string
          digest_time: string
          digest_weekday: number
          display_name: string | null
          id: string
          language: string | null
          must_choose_password: boolean
          telegram_blocked_at: string | null
          telegram_chat_id: number | null
          telegram_linked_at: string | null
          telegram_username: string | null
          time_format: string
          timezone: string
          updated_at: string
          weekly_digest: boolean
        }
        Insert: {
          created_at?: string
          digest_time?: string
          digest_weekday?: number
          display_name?: string | null
          id: string
          language?: string | null
          must_choose_password?: boolean
          telegram_blocked_at?: string | null
          telegram_chat_id?: number | null
          telegram_linked_at?: string | null
          telegram_username?: string | null
          time_format?: string
          timezone?: string
          updated_at?: string
          weekly_digest?: boolean
        }
        Update: {
          created_at?: string
          digest_time?: string
          digest_weekday?: number
          display_name?: string | null
          id?: string
          language?: string | null
          must_choose_password?: boolean
          telegram_blocked_at?: string | null
          telegram_chat_id?: number | null
          telegram_linked_at?: string | null
          telegram_username?: string | null
          time_format?: string
          timezone?: string
          updated_at?: string
          weekly_digest?: boolean
        }
        Relationships: []
      }
      public_habits: {
        Row: {
          action: string
          created_at: string
          duration_seconds: number
          id: string
          interval_days: number
          is_pleasant: boolean
          place: string
          reward: string | null
          time: string
        }
        Insert: {
          action: string
          created_at: string
          duration_seconds: number
          id: string
          interval_days: number
          is_pleasant: boolean
          place: string
          reward?: string | null
          time: string
        }
        Update: {
          action?: string
          created_at?: string
          duration_seconds?: number
          id?: string
          interval_days?: number
          is_pleasant?: boolean
          place?: string
          reward?: string | null
          time?: string
        }
        Relationships: [
          {
            foreignKeyName: "public_habits_id_fkey"
            columns: ["id"]
            isOneToOne: true
            referencedRelation: "habits"
            referencedColumns: ["id"]
          },
        ]
      }
      telegram_link_codes: {
        Row: {
          code: string
          created_at: string
          deep_link: string | null
          expires_at: string
          used_at: string | null
          user_id: string
        }
        Insert: {
          code: string
          created_at?: string
          deep_link?: string | null
          expires_at?: string
          used_at?: string | null
          user_id?: string
        }
        Update: {
          code?: string
          created_at?: string
          deep_link?: string | null
          expires_at?: string
          used_at?: string | null
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "telegram_link_codes_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
    }
    Views: {
      [_ in never]: never
    }
    Functions: {
      create_telegram_link_code: {
        Args: Record<PropertyKey, never>
        Returns: {
          code: string
          deep_link: string
          expires_at: string
        }[]
      }
      disconnect_telegram: { Args: Record<PropertyKey, never>; Returns: number }
    }
    Enums: {
      [_ in never]: never
    }
    CompositeTypes: {
      [_ in never]: never
    }
  }
}

type DatabaseWithoutInternals = Omit<Database, "__InternalSupabase">

type DefaultSchema = DatabaseWithoutInternals[Extract<keyof Database, "public">]

export type Tables<
  DefaultSchemaTableNameOrOptions extends
    | keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
        DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
      DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])[TableName] extends {
      Row: infer R
    }
    ? R
    : never
  : DefaultSchemaTableNameOrOptions extends keyof (DefaultSchema["Tables"] &
        DefaultSchema["Views"])
    ? (DefaultSchema["Tables"] &
        DefaultSchema["Views"])[DefaultSchemaTableNameOrOptions] extends {
        Row: infer R
      }
      ? R
      : never
    : never

export type TablesInsert<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Insert: infer I
    }
    ? I
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
    ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
        Insert: infer I
      }
      ? I
      : never
    : never

export type TablesUpdate<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Update: infer U
    }
    ? U
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
    ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
        Update: infer U
      }
      ? U
      : never
    : never

export type Enums<
  DefaultSchemaEnumNameOrOptions extends
    | keyof DefaultSchema["Enums"]
    | { schema: keyof DatabaseWithoutInternals },
  EnumName extends (DefaultSchemaEnumNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"]
    : never) = never,
> = DefaultSchemaEnumNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"][EnumName]
  : DefaultSchemaEnumNameOrOptions extends keyof DefaultSchema["Enums"]
    ? DefaultSchema["Enums"][DefaultSchemaEnumNameOrOptions]
    : never

export type CompositeTypes<
  PublicCompositeTypeNameOrOptions extends
    | keyof DefaultSchema["CompositeTypes"]
    | { schema: keyof DatabaseWithoutInternals },
  CompositeTypeName extends (PublicCompositeTypeNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"]
    : never) = never,
> = PublicCompositeTypeNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"][CompositeTypeName]
  : PublicCompositeTypeNameOrOptions extends keyof DefaultSchema["CompositeTypes"]
    ? DefaultSchema["CompositeTypes"][PublicCompositeTypeNameOrOptions]
    : never

export const Constants = {
  public: {
    Enums: {},
  },
} as const

